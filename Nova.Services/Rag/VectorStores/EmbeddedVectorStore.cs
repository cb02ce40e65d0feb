using System.Numerics.Tensors;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.VectorStores;

/// <summary>
/// Search in memory. The vectors are persisted in <see cref="Chunk.Embedding"/> by ingestion and loaded
/// once on first use. A scan of float32 vectors is bound by memory bandwidth (100k × 384 dimensions is
/// 154 MB per query), so each row also has smaller forms that are scanned instead (see the Scan part):
/// the best few times <c>topK</c> candidates are then scored again exactly from the float vectors, so
/// results and scores are exact unless a true neighbour falls out of the candidates.
/// </summary>
public sealed partial class EmbeddedVectorStore(IDbContextFactory<NovaDbContext> contexts) : IVectorStore
{
    private const int ParallelRowThreshold = 20_000;
    private const int LoadBatch = 2_048;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Dictionary<Guid, Guid[]> _documentCollections = [];
    private readonly Dictionary<Guid, int> _rowOfChunk = [];
    private readonly Dictionary<Guid, int> _slotOfDocument = [];
    private float[] _vectors = [];
    private byte[] _codes = [];
    private ulong[] _bits = [];
    private float[] _scales = [];
    private Guid[] _chunkIds = [];
    private Guid[] _documentIds = [];
    // Document slot per row: the hot loop filters with an array lookup instead of hashing a Guid.
    private int[] _rowSlots = [];
    private int _rows;
    private int _dimensions;
    private volatile bool _loaded;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _rows; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public async Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            if (_rows > 0 && _dimensions != dimensions)
            {
                throw new InvalidOperationException(
                    $"The stored embeddings have {_dimensions} dimensions but the embedding model produces {dimensions}; re-index all documents.");
            }
            _dimensions = dimensions;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            foreach (var record in records)
            {
                AddRow(record.ChunkId, record.DocumentId, record.Vector.Span);
                _documentCollections[record.DocumentId] = [.. record.CollectionIds];
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public async Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            for (var row = _rows - 1; row >= 0; row--)
            {
                if (_documentIds[row] == documentId)
                {
                    RemoveRow(row);
                }
            }
            _documentCollections.Remove(documentId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public async Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            if (_documentCollections.ContainsKey(documentId))
            {
                _documentCollections[documentId] = [.. collectionIds];
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, IReadOnlyCollection<Guid> collectionIds, int topK,
        CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        if (topK <= 0 || collectionIds.Count == 0)
        {
            return [];
        }
        _lock.EnterReadLock();
        try
        {
            if (_rows == 0)
            {
                return [];
            }
            if (query.Length != _dimensions)
            {
                throw new ArgumentException($"The query has {query.Length} dimensions; the index has {_dimensions}.", nameof(query));
            }
            var allowed = AllowedDocuments(collectionIds);
            if (allowed.Length == 0)
            {
                return [];
            }
            var scan = new ScanQuery(query.Span, _dimensions, allowed, Math.Max(topK * CandidatesPerResult, MinCandidates));
            var partitions = _rows >= ParallelRowThreshold ? Math.Min(Environment.ProcessorCount, 8) : 1;
            var partial = new int[partitions][];
            var size = (_rows + partitions - 1) / partitions;
            if (partitions == 1)
            {
                partial[0] = Candidates(scan, 0, _rows);
            }
            else
            {
                Parallel.For(0, partitions, new ParallelOptions { CancellationToken = cancellationToken }, p =>
                    partial[p] = Candidates(scan, p * size, Math.Min(_rows, (p + 1) * size)));
            }
            var candidates = scan.Candidates;
            var vectors = _vectors.AsSpan();
            var exact = new List<(int Row, float Score)>(partitions * candidates);
            foreach (var row in partial.SelectMany(rows => rows))
            {
                exact.Add((row, TensorPrimitives.Dot(query.Span, vectors.Slice(row * _dimensions, _dimensions))));
            }
            return exact.OrderByDescending(x => x.Score)
                .Take(topK)
                .Select(x => new VectorHit(_chunkIds[x.Row], _documentIds[x.Row], x.Score))
                .ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public async Task ResetAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            _rows = 0;
            // Rows of the new size would not fit arrays laid out for the old one.
            _vectors = [];
            _codes = [];
            _bits = [];
            _scales = [];
            _chunkIds = [];
            _documentIds = [];
            _rowSlots = [];
            _rowOfChunk.Clear();
            _slotOfDocument.Clear();
            _documentCollections.Clear();
            _dimensions = dimensions;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Per document slot: may the caller read it? Empty when nothing is readable.</summary>
    private bool[] AllowedDocuments(IReadOnlyCollection<Guid> collectionIds)
    {
        var wanted = collectionIds as IReadOnlySet<Guid> ?? collectionIds.ToHashSet();
        var allowed = new bool[_slotOfDocument.Count];
        var any = false;
        foreach (var (documentId, collections) in _documentCollections)
        {
            if (collections.Any(wanted.Contains) && _slotOfDocument.TryGetValue(documentId, out var slot))
            {
                allowed[slot] = any = true;
            }
        }
        return any ? allowed : [];
    }

    private void AddRow(Guid chunkId, Guid documentId, ReadOnlySpan<float> vector)
    {
        if (_dimensions == 0)
        {
            _dimensions = vector.Length;
        }
        if (vector.Length != _dimensions)
        {
            throw new ArgumentException($"Vector for chunk {chunkId} has {vector.Length} dimensions; the index has {_dimensions}.");
        }
        if (!_rowOfChunk.TryGetValue(chunkId, out var row))
        {
            row = _rows++;
            EnsureCapacity(_rows);
            _rowOfChunk[chunkId] = row;
        }
        if (!_slotOfDocument.TryGetValue(documentId, out var slot))
        {
            slot = _slotOfDocument.Count;
            _slotOfDocument[documentId] = slot;
        }
        vector.CopyTo(_vectors.AsSpan(row * _dimensions, _dimensions));
        _scales[row] = Int8Codes.Encode(vector, _codes.AsSpan(row * _dimensions, _dimensions));
        SignBits.Encode(vector, _bits.AsSpan(row * Words, Words));
        _chunkIds[row] = chunkId;
        _documentIds[row] = documentId;
        _rowSlots[row] = slot;
    }

    /// <summary>Moves the last row into the hole so the array stays contiguous.</summary>
    private void RemoveRow(int row)
    {
        var last = _rows - 1;
        _rowOfChunk.Remove(_chunkIds[row]);
        if (row != last)
        {
            _vectors.AsSpan(last * _dimensions, _dimensions).CopyTo(_vectors.AsSpan(row * _dimensions, _dimensions));
            _codes.AsSpan(last * _dimensions, _dimensions).CopyTo(_codes.AsSpan(row * _dimensions, _dimensions));
            _scales[row] = _scales[last];
            _bits.AsSpan(last * Words, Words).CopyTo(_bits.AsSpan(row * Words, Words));
            _chunkIds[row] = _chunkIds[last];
            _documentIds[row] = _documentIds[last];
            _rowSlots[row] = _rowSlots[last];
            _rowOfChunk[_chunkIds[row]] = row;
        }
        _rows = last;
    }

    private void EnsureCapacity(int rows)
    {
        if (_chunkIds.Length >= rows)
        {
            return;
        }
        var capacity = Math.Max(1024, Math.Max(rows, _chunkIds.Length * 2));
        Array.Resize(ref _chunkIds, capacity);
        Array.Resize(ref _documentIds, capacity);
        Array.Resize(ref _rowSlots, capacity);
        Array.Resize(ref _scales, capacity);
        Array.Resize(ref _vectors, capacity * _dimensions);
        Array.Resize(ref _codes, capacity * _dimensions);
        Array.Resize(ref _bits, capacity * Words);
    }

    private void AddLoaded(List<(Guid ChunkId, Guid DocumentId, byte[] Embedding)> batch, Dictionary<Guid, Guid[]> collectionsByDocument)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (chunkId, documentId, embedding) in batch)
            {
                AddRow(chunkId, documentId, EmbeddingCodec.FromBytes(embedding));
                _documentCollections[documentId] = collectionsByDocument.GetValueOrDefault(documentId, []);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        batch.Clear();
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }
        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded)
            {
                return;
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var memberships = await db.Set<DocumentCollection>().AsNoTracking()
                .Select(dc => new { dc.DocumentId, dc.CollectionId })
                .ToListAsync(cancellationToken);
            var collectionsByDocument = memberships.GroupBy(m => m.DocumentId)
                .ToDictionary(g => g.Key, g => g.Select(m => m.CollectionId).ToArray());
            var rows = db.Set<Chunk>().AsNoTracking()
                .Where(c => c.Embedding != null && c.Document!.Status == DocumentStatus.Ready)
                .Select(c => new { c.Id, c.DocumentId, c.Embedding })
                .AsAsyncEnumerable();
            // The lock is thread-affine, so rows are added in synchronous batches between awaits.
            var batch = new List<(Guid ChunkId, Guid DocumentId, byte[] Embedding)>(LoadBatch);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                batch.Add((row.Id, row.DocumentId, row.Embedding!));
                if (batch.Count == LoadBatch)
                {
                    AddLoaded(batch, collectionsByDocument);
                }
            }
            AddLoaded(batch, collectionsByDocument);
            _loaded = true;
        }
        finally
        {
            _loadGate.Release();
        }
    }
}

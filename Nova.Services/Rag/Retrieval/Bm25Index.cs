using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Retrieval;

/// <summary>A lexical hit; <see cref="Score"/> is the BM25 score.</summary>
public sealed record LexicalHit(Guid ChunkId, Guid DocumentId, float Score);

/// <summary>
/// In-memory BM25 (k1 = 1.2, b = 0.75) over the indexed chunks (heading path + text). Built from the
/// database on first use and kept current by this process's ingestion and deletion: the word side of
/// <see cref="EmbeddedSearchIndex"/>, for a single instance (with Qdrant, words are searched there).
/// </summary>
public sealed class Bm25Index(IDbContextFactory<NovaDbContext> contexts)
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;
    private const int LoadBatch = 2_048;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Dictionary<string, Dictionary<int, int>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _slotOfChunk = [];
    private readonly Dictionary<Guid, List<int>> _slotsOfDocument = [];
    private readonly Dictionary<Guid, Guid[]> _documentCollections = [];
    private readonly List<Entry?> _entries = [];
    private readonly Stack<int> _freeSlots = new();
    private long _totalLength;
    private int _count;
    private volatile bool _loaded;

    public sealed record IndexedChunk(Guid ChunkId, Guid DocumentId, string Text);

    public async Task AddAsync(IReadOnlyList<IndexedChunk> chunks, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        Add(chunks, chunks.Select(c => c.DocumentId).Distinct().ToDictionary(d => d, _ => collectionIds.ToArray()));
    }

    public async Task RemoveDocumentAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            RemoveDocument(documentId);
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

    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        _lock.EnterWriteLock();
        try
        {
            _postings.Clear();
            _slotOfChunk.Clear();
            _slotsOfDocument.Clear();
            _documentCollections.Clear();
            _entries.Clear();
            _freeSlots.Clear();
            _totalLength = 0;
            _count = 0;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public async Task<IReadOnlyList<LexicalHit>> SearchAsync(string query, IReadOnlyCollection<Guid> collectionIds, int topK,
        CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        var terms = LexicalTokenizer.Tokenize(query).Distinct().ToList();
        if (terms.Count == 0 || topK <= 0 || collectionIds.Count == 0)
        {
            return [];
        }
        var wanted = collectionIds.ToHashSet();
        _lock.EnterReadLock();
        try
        {
            if (_count == 0)
            {
                return [];
            }
            var allowed = _documentCollections.Where(d => d.Value.Any(wanted.Contains)).Select(d => d.Key).ToHashSet();
            var averageLength = (float)_totalLength / _count;
            var scores = new Dictionary<int, float>();
            foreach (var term in terms)
            {
                if (!_postings.TryGetValue(term, out var postings))
                {
                    continue;
                }
                var idf = MathF.Log(1 + (_count - postings.Count + 0.5f) / (postings.Count + 0.5f));
                foreach (var (slot, frequency) in postings)
                {
                    var entry = _entries[slot]!;
                    if (!allowed.Contains(entry.DocumentId))
                    {
                        continue;
                    }
                    var tf = frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * entry.Length / averageLength));
                    scores[slot] = scores.GetValueOrDefault(slot) + idf * tf;
                }
            }
            return scores.OrderByDescending(s => s.Value).Take(topK)
                .Select(s => new LexicalHit(_entries[s.Key]!.ChunkId, _entries[s.Key]!.DocumentId, s.Value))
                .ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Add(IReadOnlyList<IndexedChunk> chunks, Dictionary<Guid, Guid[]> collections)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var (documentId, collectionIds) in collections)
            {
                _documentCollections[documentId] = collectionIds;
            }
            foreach (var chunk in chunks)
            {
                if (_slotOfChunk.ContainsKey(chunk.ChunkId))
                {
                    continue;
                }
                var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
                var length = 0;
                foreach (var token in LexicalTokenizer.Tokenize(chunk.Text))
                {
                    frequencies[token] = frequencies.GetValueOrDefault(token) + 1;
                    length++;
                }
                var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _entries.Count;
                var entry = new Entry(chunk.ChunkId, chunk.DocumentId, length, [.. frequencies.Keys]);
                if (slot == _entries.Count)
                {
                    _entries.Add(entry);
                }
                else
                {
                    _entries[slot] = entry;
                }
                foreach (var (term, frequency) in frequencies)
                {
                    if (!_postings.TryGetValue(term, out var postings))
                    {
                        _postings[term] = postings = [];
                    }
                    postings[slot] = frequency;
                }
                _slotOfChunk[chunk.ChunkId] = slot;
                if (!_slotsOfDocument.TryGetValue(chunk.DocumentId, out var slots))
                {
                    _slotsOfDocument[chunk.DocumentId] = slots = [];
                }
                slots.Add(slot);
                _totalLength += length;
                _count++;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void RemoveDocument(Guid documentId)
    {
        _documentCollections.Remove(documentId);
        if (!_slotsOfDocument.Remove(documentId, out var slots))
        {
            return;
        }
        foreach (var slot in slots)
        {
            var entry = _entries[slot]!;
            foreach (var term in entry.Terms)
            {
                if (_postings.TryGetValue(term, out var postings) && postings.Remove(slot) && postings.Count == 0)
                {
                    _postings.Remove(term);
                }
            }
            _slotOfChunk.Remove(entry.ChunkId);
            _entries[slot] = null;
            _freeSlots.Push(slot);
            _totalLength -= entry.Length;
            _count--;
        }
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
            var collections = (await db.Set<DocumentCollection>().AsNoTracking()
                    .Select(dc => new { dc.DocumentId, dc.CollectionId }).ToListAsync(cancellationToken))
                .GroupBy(m => m.DocumentId).ToDictionary(g => g.Key, g => g.Select(m => m.CollectionId).ToArray());
            var rows = db.Set<Chunk>().AsNoTracking()
                .Where(c => c.Document!.Status == DocumentStatus.Ready)
                .Select(c => new { c.Id, c.DocumentId, c.Text, c.HeadingPath })
                .AsAsyncEnumerable();
            var batch = new List<IndexedChunk>(LoadBatch);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                batch.Add(new IndexedChunk(row.Id, row.DocumentId, TextChunk.IndexTextOf(row.Text, row.HeadingPath)));
                if (batch.Count == LoadBatch)
                {
                    Add(batch, Memberships(batch, collections));
                    batch.Clear();
                }
            }
            Add(batch, Memberships(batch, collections));
            _loaded = true;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    private static Dictionary<Guid, Guid[]> Memberships(List<IndexedChunk> batch, Dictionary<Guid, Guid[]> collections) =>
        batch.Select(c => c.DocumentId).Distinct().ToDictionary(d => d, d => collections.GetValueOrDefault(d, []));

    private sealed record Entry(Guid ChunkId, Guid DocumentId, int Length, string[] Terms);
}

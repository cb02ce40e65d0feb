using Nova.Services.Rag.VectorStores;

namespace Nova.Services.Rag.Retrieval;

/// <summary>
/// The search index of a single instance: dense top-k from the <see cref="IVectorStore"/> and BM25 top-k from this
/// process's <see cref="Bm25Index"/>, fused here by reciprocal rank fusion (k = <see cref="RrfK"/>).
/// </summary>
public sealed class EmbeddedSearchIndex(IVectorStore vectors, Bm25Index lexical) : ISearchIndex
{
    public const int RrfK = 60;

    public Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default) =>
        vectors.EnsureReadyAsync(dimensions, cancellationToken);

    public async Task AddAsync(IReadOnlyList<SearchChunk> chunks, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        await vectors.UpsertAsync(chunks.Select(c => new VectorRecord(c.ChunkId, c.DocumentId, collectionIds, c.Vector)).ToList(), cancellationToken);
        await lexical.AddAsync(chunks.Select(c => new Bm25Index.IndexedChunk(c.ChunkId, c.DocumentId, c.Text)).ToList(), collectionIds, cancellationToken);
    }

    public async Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await lexical.RemoveDocumentAsync(documentId, cancellationToken);
        await vectors.DeleteDocumentAsync(documentId, cancellationToken);
    }

    public async Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        await lexical.SetDocumentCollectionsAsync(documentId, collectionIds, cancellationToken);
        await vectors.SetDocumentCollectionsAsync(documentId, collectionIds, cancellationToken);
    }

    public async Task ResetAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        await lexical.ClearAsync(cancellationToken);
        await vectors.ResetAsync(dimensions, cancellationToken);
    }

    public async Task<IReadOnlyList<SearchCandidate>> SearchAsync(string? text, ReadOnlyMemory<float>? vector, IReadOnlyCollection<Guid> collectionIds,
        int candidates, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<VectorHit> dense = vector is { } v ? await vectors.SearchAsync(v, collectionIds, candidates, cancellationToken) : [];
        IReadOnlyList<LexicalHit> sparse = text is not null ? await lexical.SearchAsync(text, collectionIds, candidates, cancellationToken) : [];
        return Fuse(dense, sparse);
    }

    private static List<SearchCandidate> Fuse(IReadOnlyList<VectorHit> dense, IReadOnlyList<LexicalHit> sparse)
    {
        var byChunk = new Dictionary<Guid, SearchCandidate>();
        for (var i = 0; i < dense.Count; i++)
        {
            var found = byChunk.GetValueOrDefault(dense[i].ChunkId) ?? new SearchCandidate(dense[i].ChunkId, null, null, 0);
            byChunk[dense[i].ChunkId] = found with { Dense = dense[i].Score, Fused = found.Fused + 1.0 / (RrfK + i + 1) };
        }
        for (var i = 0; i < sparse.Count; i++)
        {
            var found = byChunk.GetValueOrDefault(sparse[i].ChunkId) ?? new SearchCandidate(sparse[i].ChunkId, null, null, 0);
            byChunk[sparse[i].ChunkId] = found with { Lexical = sparse[i].Score, Fused = found.Fused + 1.0 / (RrfK + i + 1) };
        }
        return byChunk.Values.OrderByDescending(c => c.Fused).ThenByDescending(c => c.Dense ?? float.MinValue).ToList();
    }
}

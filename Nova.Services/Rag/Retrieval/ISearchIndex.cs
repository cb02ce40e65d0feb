namespace Nova.Services.Rag.Retrieval;

/// <summary>A chunk as the search index holds it: its index text (heading path and text) for words, its embedding for meaning.</summary>
public sealed record SearchChunk(Guid ChunkId, Guid DocumentId, string Text, ReadOnlyMemory<float> Vector);

/// <summary>
/// A candidate of a search, best first. <see cref="Dense"/> is the cosine similarity when the dense search found the
/// chunk, <see cref="Lexical"/> the lexical score when the word search did, <see cref="Fused"/> the reciprocal rank fusion.
/// </summary>
public sealed record SearchCandidate(Guid ChunkId, float? Dense, float? Lexical, double Fused);

/// <summary>
/// Where chunks are found, by meaning (embedding) and by words, and where ingestion, deletion, filing and re-indexing
/// write, so both sides always change together. Every search is filtered to the collections the caller may read.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Prepares storage for embeddings of <paramref name="dimensions"/>; fails clearly if it holds another size or layout.</summary>
    Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default);

    /// <summary>Indexes (or replaces) <paramref name="chunks"/>, filed under <paramref name="collectionIds"/>.</summary>
    Task AddAsync(IReadOnlyList<SearchChunk> chunks, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default);

    Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the collections a document's chunks are filed under.</summary>
    Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default);

    /// <summary>Removes everything and prepares for <paramref name="dimensions"/> (re-index all, model change).</summary>
    Task ResetAsync(int dimensions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="candidates"/> chunks in any of <paramref name="collectionIds"/>, best first: by words for
    /// <paramref name="text"/> and by meaning for <paramref name="vector"/>, fused when both are given.
    /// </summary>
    Task<IReadOnlyList<SearchCandidate>> SearchAsync(string? text, ReadOnlyMemory<float>? vector, IReadOnlyCollection<Guid> collectionIds,
        int candidates, CancellationToken cancellationToken = default);
}

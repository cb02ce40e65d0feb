namespace Nova.Services.Rag.VectorStores;

/// <summary>A chunk's vector with what retrieval filters on.</summary>
public sealed record VectorRecord(Guid ChunkId, Guid DocumentId, IReadOnlyCollection<Guid> CollectionIds, ReadOnlyMemory<float> Vector);

/// <summary>A nearest neighbour; <see cref="Score"/> is cosine similarity.</summary>
public sealed record VectorHit(Guid ChunkId, Guid DocumentId, float Score);

/// <summary>
/// Where chunk vectors are searched. Vectors are normalized, so cosine equals dot product.
/// Every search is filtered to the collections the caller may read.
/// </summary>
public interface IVectorStore
{
    /// <summary>Prepares storage for vectors of <paramref name="dimensions"/>; fails clearly if it holds another size.</summary>
    Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default);

    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the collections a document's vectors are filed under.</summary>
    Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default);

    /// <summary>Top <paramref name="topK"/> chunks in any of <paramref name="collectionIds"/>, best first.</summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, IReadOnlyCollection<Guid> collectionIds, int topK,
        CancellationToken cancellationToken = default);

    /// <summary>Removes every vector and prepares for <paramref name="dimensions"/> (re-index all, model change).</summary>
    Task ResetAsync(int dimensions, CancellationToken cancellationToken = default);
}

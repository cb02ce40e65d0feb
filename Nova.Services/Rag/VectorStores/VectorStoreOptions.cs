namespace Nova.Services.Rag.VectorStores;

public enum VectorStoreProvider
{
    Embedded,
    Qdrant,
}

/// <summary>Bound from <c>Nova:VectorStore</c>.</summary>
public sealed class VectorStoreOptions
{
    public const string Section = "Nova:VectorStore";

    public VectorStoreProvider Provider { get; set; } = VectorStoreProvider.Embedded;

    public QdrantOptions Qdrant { get; set; } = new();
}

public sealed class QdrantOptions
{
    /// <summary>gRPC endpoint, e.g. http://qdrant:6334.</summary>
    public Uri? Url { get; set; }

    public string? ApiKey { get; set; }

    public string Collection { get; set; } = "nova_chunks";
}

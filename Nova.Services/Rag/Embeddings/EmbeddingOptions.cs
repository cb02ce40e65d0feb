namespace Nova.Services.Rag.Embeddings;

public enum EmbeddingProvider
{
    MiniLM,
    Ollama,
    OpenAI,
}

/// <summary>Bound from <c>Nova:Embeddings</c>.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Nova:Embeddings";

    public EmbeddingProvider Provider { get; set; } = EmbeddingProvider.MiniLM;

    /// <summary>Server root for Ollama (http://host:11434) or an OpenAI-compatible API (…/v1).</summary>
    public Uri? BaseUrl { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }
}

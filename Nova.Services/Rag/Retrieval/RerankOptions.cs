namespace Nova.Services.Rag.Retrieval;

/// <summary>Bound from <c>Nova:Rerank</c>; without a BaseUrl no reranking happens.</summary>
public sealed class RerankOptions
{
    public const string Section = "Nova:Rerank";

    /// <summary>Root of a TEI-style server that answers <c>POST /rerank</c>.</summary>
    public Uri? BaseUrl { get; set; }

    public int TimeoutSeconds { get; set; } = 10;
}

using Nova.Services.Rag.Retrieval;

namespace Nova.Services.Chat.Grounding;

/// <summary>Bound from <c>Nova:Chat:Documents</c>: how answers are grounded in documents.</summary>
public sealed class GroundingOptions
{
    /// <summary>The most passages a question gets.</summary>
    public int TopK { get; set; } = 5;

    /// <summary>
    /// Passages less similar to the question than this (cosine, -1..1) are left out, so a question the
    /// documents have nothing to say about ("write a poem") gets no sources at all. Depends on the
    /// embedding model: for all-MiniLM-L6-v2 unrelated text scores about 0–0.15 and a passage that
    /// answers the question about 0.35–0.7. Ignored in <see cref="RetrievalMode.Lexical"/> mode.
    /// </summary>
    public float MinSimilarity { get; set; } = 0.25f;

    public RetrievalMode Mode { get; set; } = RetrievalMode.Hybrid;
}

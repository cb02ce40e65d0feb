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
    /// embedding model: for all-MiniLM-L6-v2 unrelated text scores about 0–0.3 and a passage that
    /// answers the question about 0.45–0.8 (measured in Nova's tests: "write a poem" ≤ 0.03 against a pump
    /// manual, an unrelated page of it up to 0.28, the page that answers 0.70). Ignored in
    /// <see cref="RetrievalMode.Lexical"/> mode.
    /// </summary>
    public float MinSimilarity { get; set; } = 0.3f;

    public RetrievalMode Mode { get; set; } = RetrievalMode.Hybrid;
}

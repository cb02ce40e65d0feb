namespace Nova.Services.Rag.Retrieval;

public enum RetrievalMode
{
    Hybrid,
    Dense,
    Lexical,
}

/// <summary>
/// A passage found for a query, with everything a citation needs. Scores are null when the passage
/// was not found by that method (or no reranker is configured).
/// </summary>
public sealed record RetrievalHit(
    Guid ChunkId,
    Guid DocumentId,
    string DocumentName,
    int? Page,
    string HeadingPath,
    string Text,
    string Snippet,
    float? DenseScore,
    float? LexicalScore,
    double FusedScore,
    float? RerankScore);

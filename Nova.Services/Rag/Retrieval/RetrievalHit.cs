namespace Nova.Services.Rag.Retrieval;

public enum RetrievalMode
{
    Hybrid,
    Dense,
    Lexical,
}

/// <summary>
/// A passage found for a query, with everything a citation needs. Scores are null when the passage
/// was not found by that method (or no reranker is configured). <see cref="Similarity"/> is the cosine
/// similarity of the passage to the query, known for every hit of a dense or hybrid search (also for
/// passages only the word search found) and null in lexical mode: the one score with the same scale for every hit.
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
    float? RerankScore,
    float? Similarity);

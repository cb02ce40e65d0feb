namespace Nova.Services.Rag.Model;

/// <summary>Where a document is in the ingestion pipeline. Stored as text.</summary>
public enum DocumentStatus
{
    Uploaded,
    Parsing,
    Chunking,
    Embedding,
    Ready,
    Failed,
}

public static class DocumentStatusExtensions
{
    /// <summary>True while a worker owns the document; after a crash such documents are re-queued.</summary>
    public static bool IsInProgress(this DocumentStatus status) =>
        status is DocumentStatus.Parsing or DocumentStatus.Chunking or DocumentStatus.Embedding;
}

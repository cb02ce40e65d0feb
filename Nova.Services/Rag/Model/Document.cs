namespace Nova.Services.Rag.Model;

/// <summary>
/// An uploaded file or fetched URL. <see cref="DisplayName"/> is untrusted text shown to people; the
/// bytes live under <see cref="StorageKey"/>, which is generated and never derived from the name.
/// </summary>
public sealed class Document
{
    public const int MaxDisplayNameLength = 200;
    public const int MaxReasonLength = 1000;
    public const int MaxUrlLength = 2048;

    public Guid Id { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>Name of the stored file (a GUID in hex); empty until a URL has been fetched.</summary>
    public string StorageKey { get; set; } = "";

    /// <summary>The URL a document was fetched from, or null for an upload.</summary>
    public string? SourceUrl { get; set; }

    /// <summary>MIME type detected from the content, never taken from the name or the client.</summary>
    public string? ContentType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes.</summary>
    public string? Sha256 { get; set; }

    public DocumentStatus Status { get; set; }

    /// <summary>Why ingestion failed, readable by an admin; null unless <see cref="DocumentStatus.Failed"/>.</summary>
    public string? FailureReason { get; set; }

    /// <summary>0..1 across all stages.</summary>
    public double Progress { get; set; }

    public int? PageCount { get; set; }

    public int ChunkCount { get; set; }

    /// <summary>Id of the user who added it.</summary>
    public required string UploadedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? IndexedAt { get; set; }

    /// <summary>The replica that claimed the document for ingestion; its work is taken over once its lease expires.</summary>
    public Guid? ReplicaId { get; set; }

    public List<DocumentCollection> Collections { get; set; } = [];

    public List<Chunk> Chunks { get; set; } = [];
}

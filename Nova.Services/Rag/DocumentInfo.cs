using Nova.Services.Rag.Model;

namespace Nova.Services.Rag;

/// <summary>
/// A document as the admin UI and API show it. <c>UploadedBy</c> is the user's id; <c>UploadedByName</c> their
/// display name or email when listed, null when the account is gone.
/// </summary>
public sealed record DocumentInfo(
    Guid Id,
    string DisplayName,
    string? SourceUrl,
    string? ContentType,
    long SizeBytes,
    string? Sha256,
    DocumentStatus Status,
    string? FailureReason,
    double Progress,
    int? PageCount,
    int ChunkCount,
    string UploadedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? IndexedAt,
    IReadOnlyList<Guid> CollectionIds,
    string? UploadedByName = null);

public sealed record DocumentPage(IReadOnlyList<DocumentInfo> Items, int Total);

/// <summary>Which documents to list: a page, optionally of one collection, matching a search, in some statuses.</summary>
public sealed record DocumentQuery(
    int Skip = 0,
    int Take = 50,
    Guid? CollectionId = null,
    string? Search = null,
    IReadOnlyCollection<DocumentStatus>? Statuses = null);

public sealed record CollectionInfo(Guid Id, string Name, string Visibility, int DocumentCount, DateTimeOffset CreatedAt);

public enum RejectionKind
{
    Invalid,
    TooLarge,
    UnsupportedType,
    NotFound,

    /// <summary>The file store failed (<see cref="Ingestion.FileStoreUnavailableException"/>); the upload may be tried again.</summary>
    StoreUnavailable,
}

/// <summary>A request the document service refuses; <see cref="Kind"/> maps to 400, 413, 415, 404 or 503.</summary>
public sealed class DocumentRejectedException(RejectionKind kind, string message) : Exception(message)
{
    public RejectionKind Kind { get; } = kind;
}

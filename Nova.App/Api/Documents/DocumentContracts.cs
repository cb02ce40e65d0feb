using System.Text.Json.Serialization;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;

namespace Nova.App.Api.Documents;

/// <summary>A document as <c>/api/v1/documents</c> shows it.</summary>
public sealed record DocumentResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("progress")] double Progress,
    [property: JsonPropertyName("failure_reason")] string? FailureReason,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("size_bytes")] long SizeBytes,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("source_url")] string? SourceUrl,
    [property: JsonPropertyName("page_count")] int? PageCount,
    [property: JsonPropertyName("chunk_count")] int ChunkCount,
    [property: JsonPropertyName("collection_ids")] IReadOnlyList<Guid> CollectionIds,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("indexed_at")] DateTimeOffset? IndexedAt)
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";

    /// <summary>
    /// Where a document came from, its hash and why it failed are for admins: a failure reason or a
    /// source URL can name internal addresses, and a hash lets a reader test guesses of a file.
    /// </summary>
    public static DocumentResponse From(DocumentInfo d, bool forAdmin) => new(
        d.Id, d.DisplayName, StatusOf(d.Status), d.Status.ToString().ToLowerInvariant(), d.Progress, forAdmin ? d.FailureReason : null,
        d.ContentType, d.SizeBytes, forAdmin ? d.Sha256 : null, forAdmin ? d.SourceUrl : null, d.PageCount, d.ChunkCount, d.CollectionIds,
        d.CreatedAt, d.UpdatedAt, d.IndexedAt);

    /// <summary>The pipeline's stages collapse to what a client waits for: still processing, ready, or failed.</summary>
    private static string StatusOf(DocumentStatus status) => status switch
    {
        DocumentStatus.Ready => Ready,
        DocumentStatus.Failed => Failed,
        _ => Processing,
    };
}

/// <summary>One page of documents, newest first.</summary>
public sealed record DocumentListResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<DocumentResponse> Data,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("has_more")] bool HasMore);

/// <summary>The documents an upload accepted, in the order of the request's files; each is being processed.</summary>
public sealed record UploadResponse([property: JsonPropertyName("data")] IReadOnlyList<DocumentResponse> Data);

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Nova.App.Api.Auth;
using Nova.App.Api.Limits;
using Nova.Services.Data;
using Nova.Services.Rag;

namespace Nova.App.Api.Documents;

/// <summary>
/// /api/v1/documents: upload (admins), list, status and delete, through <see cref="DocumentService"/>,
/// the same pipeline as the admin UI. Users who are not admins read only the documents of collections
/// they may read; anything else answers 404, as if it did not exist.
/// </summary>
public static class DocumentsApi
{
    public const int DefaultPageSize = 50;

    // Room for the multipart framing and the collection_id fields around the files.
    private const long MultipartOverheadBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder api)
    {
        var documents = api.MapGroup("/documents").WithTags("Documents");
        var uploadLimit = UploadBodyLimit(api.ServiceProvider);

        documents.MapPost("", UploadAsync)
            .RequireAuthorization(NovaApiPolicies.Admin)
            .WithRequestBodyLimit(uploadLimit)
            .AddOpenApiOperationTransformer(UploadOpenApi.DescribeAsync)
            .Produces<UploadResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("UploadDocuments")
            .WithSummary("Upload documents to be parsed, chunked, embedded and indexed (admins)")
            .WithDescription(
                $"multipart/form-data with one or more '{MultipartUpload.FileField}' parts and optional '{MultipartUpload.CollectionField}' fields " +
                "before them (the collections every file is filed in). Answers 202 with each document, status 'processing'; poll " +
                "GET /api/v1/documents/{id} until it is 'ready' or 'failed'. The type is detected from the content, not the name. " +
                "The upload is all or nothing: if one file is refused, none is kept.");

        documents.MapGet("", ListAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithName("ListDocuments")
            .WithSummary("List documents, newest first")
            .WithDescription(
                $"Paged with 'limit' (1 to {DocumentService.MaxPageSize}, default {DefaultPageSize}) and 'offset'; 'collection_id' keeps one collection's documents. " +
                "Admins see every document, other users those of collections they may read. `source_url`, `sha256` and `failure_reason` are null for users who are not admins.");

        documents.MapGet("/{id:guid}", GetAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetDocument")
            .WithSummary("One document with its status (processing, ready or failed, with the reason), progress and counts");

        documents.MapDelete("/{id:guid}", DeleteAsync)
            .RequireAuthorization(NovaApiPolicies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("DeleteDocument")
            .WithSummary("Delete a document with its chunks, its vectors and its stored file (admins)");

        return api;
    }

    private static async Task<Results<Ok<DocumentListResponse>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken,
        int limit = DefaultPageSize, int offset = 0, [FromQuery(Name = "collection_id")] Guid? collectionId = null)
    {
        if (limit is < 1 or > DocumentService.MaxPageSize)
        {
            return Problem(StatusCodes.Status400BadRequest, $"'limit' must be between 1 and {DocumentService.MaxPageSize}.");
        }
        if (offset < 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "'offset' must not be negative.");
        }
        var page = await documents.ListAsync(user, offset, limit, collectionId, cancellationToken);
        return TypedResults.Ok(new DocumentListResponse(
            [.. page.Items.Select(d => DocumentResponse.From(d, user.IsInRole(NovaRoles.Admin)))], page.Total, limit, offset, offset + page.Items.Count < page.Total));
    }

    private static async Task<Results<Ok<DocumentResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken) =>
        await documents.GetAsync(user, id, cancellationToken) is { } document
            ? TypedResults.Ok(DocumentResponse.From(document, user.IsInRole(NovaRoles.Admin)))
            : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, DocumentService documents, CancellationToken cancellationToken) =>
        await documents.DeleteAsync(user, id, cancellationToken) ? TypedResults.NoContent() : NotFound();

    private static async Task<IResult> UploadAsync(
        HttpContext context, ClaimsPrincipal user, DocumentService documents, IOptions<ApiOptions> options)
    {
        var cancellationToken = context.RequestAborted;
        var accepted = new List<DocumentInfo>();
        string? current = null;
        var kept = false;
        try
        {
            await foreach (var file in MultipartUpload.ReadAsync(context.Request, options.Value.MaxUploadFiles, cancellationToken))
            {
                current = file.FileName;
                accepted.Add(await documents.UploadAsync(user, file.Content, file.FileName, file.CollectionIds, cancellationToken));
            }
            kept = true;
            return TypedResults.Json(new UploadResponse([.. accepted.Select(d => DocumentResponse.From(d, forAdmin: true))]), statusCode: StatusCodes.Status202Accepted);
        }
        catch (UploadRejectedException e)
        {
            return Problem(e.Status, e.Message);
        }
        catch (DocumentRejectedException e)
        {
            return Problem(StatusOf(e.Kind), $"'{current}': {e.Message}");
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away mid-upload: there is no one to answer, and nothing of it is kept.
            return TypedResults.Empty;
        }
        catch (Exception e) when (e is IOException and not BadHttpRequestException or InvalidDataException)
        {
            // The multipart reader's complaint: the body ended early or broke the format.
            return Problem(StatusCodes.Status400BadRequest, $"The multipart body is malformed: {e.Message}");
        }
        finally
        {
            if (!kept)
            {
                // All or nothing: a client that is told its upload failed must not find half of it indexed.
                foreach (var document in accepted)
                {
                    await documents.DeleteAsync(user, document.Id, CancellationToken.None);
                }
            }
        }
    }

    private static int StatusOf(RejectionKind kind) => kind switch
    {
        RejectionKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RejectionKind.UnsupportedType => StatusCodes.Status415UnsupportedMediaType,
        RejectionKind.StoreUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Every file at the size limit, plus the framing around them.</summary>
    private static long UploadBodyLimit(IServiceProvider services)
    {
        var perFile = services.GetRequiredService<IOptions<RagOptions>>().Value.MaxFileBytes;
        var files = services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxUploadFiles;
        return perFile > (long.MaxValue - MultipartOverheadBytes) / files ? long.MaxValue : perFile * files + MultipartOverheadBytes;
    }

    private static ProblemHttpResult NotFound() => Problem(StatusCodes.Status404NotFound, "There is no document with that id that you can see.");

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}

using System.Text.Json;
using Nova.App.Api.Errors;
using Nova.Services.Chat;
using Nova.Services.Chat.Grounding;
using Nova.Services.Rag.Retrieval;

namespace Nova.App.Api.OpenAi;

/// <summary>The documents a /chat/rag request is grounded in, and the sources of its answer in the wire format.</summary>
internal static class RagScope
{
    /// <summary>
    /// The request's <c>collection_ids</c> as a scope: absent, every collection the caller may read. A collection
    /// the caller may not read answers 404 as if it did not exist, so its id tells nothing.
    /// </summary>
    public static async Task<(DocumentScope? Scope, IResult? Error)> ReadAsync(
        ReadOnlyMemory<byte> body, string userId, CollectionAccess access, CancellationToken cancellationToken)
    {
        ChatRagRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ChatRagRequest>(body.Span, OpenAiJson.Options);
        }
        catch (JsonException e)
        {
            return (null, OpenAiErrors.InvalidParameter("collection_ids", $"'collection_ids' must be an array of collection ids: {e.Message}"));
        }
        if (request?.CollectionIds is not { } ids)
        {
            return (DocumentScope.All, null);
        }
        if (ids.Count == 0)
        {
            return (null, OpenAiErrors.InvalidParameter("collection_ids", "'collection_ids' must name at least one collection; leave it out to search every collection you may read."));
        }
        var readable = await access.ReadableAsync(userId, cancellationToken);
        if (ids.Where(id => !readable.Contains(id)).Take(1).ToList() is [var refused])
        {
            return (null, OpenAiErrors.Result(StatusCodes.Status404NotFound, $"You have no collection with the id '{refused}'.",
                OpenAiErrors.NotFound, "collection_ids", "collection_not_found"));
        }
        return (DocumentScope.Only(ids), null);
    }

    public static IReadOnlyList<RagSource> Sources(GenerationState state) =>
        [.. state.Sources.Select(s => new RagSource(s.Number, s.DocumentId, s.DocumentName, s.Page,
            s.HeadingPath.Length == 0 ? null : s.HeadingPath, s.Snippet, s.Score))];
}

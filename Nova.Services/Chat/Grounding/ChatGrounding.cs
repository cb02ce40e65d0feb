using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Nova.Services.Chat.Grounding;

/// <summary>
/// Grounds a question in the documents a user may read: finds the passages within a scope, drops the
/// ones too unlike the question (<c>Nova:Chat:Documents:MinSimilarity</c>), numbers them, and puts them
/// into the prompt (<see cref="SourcePrompt"/>). It takes a user id, not a principal, and asks the
/// database for the user's roles at every call, so it can run outside a request (a generation, an API
/// call) and a user who lost a role loses its collections at once. The chat and the REST API share it.
/// </summary>
public sealed class ChatGrounding(
    IDbContextFactory<NovaDbContext> contexts,
    CollectionAccess access,
    RetrievalService retrieval,
    IOptionsMonitor<NovaChatOptions> options)
{
    /// <summary>The collections the user may read now that hold ready documents, by name: what a chat can be grounded in.</summary>
    public async Task<IReadOnlyList<GroundingCollection>> CollectionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var readable = (await access.ReadableAsync(userId, cancellationToken)).ToList();
        if (readable.Count == 0)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collections = await db.Set<Collection>().AsNoTracking()
            .Where(c => readable.Contains(c.Id))
            .Select(c => new GroundingCollection(c.Id, c.Name, c.Documents.Count(dc => dc.Document!.Status == DocumentStatus.Ready)))
            .ToListAsync(cancellationToken);
        return [.. collections.Where(c => c.ReadyDocuments > 0).OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>
    /// Sources for the question that ends <paramref name="prompt"/> (its last message, from the user), and the
    /// prompt with them (see <see cref="SourcePrompt.Ground"/>). <paramref name="searching"/> is called just
    /// before the search when there is something to search, so a caller can say so.
    /// </summary>
    public async Task<GroundedPrompt> GroundAsync(string userId, IReadOnlyList<AiMessage> prompt, DocumentScope scope,
        Action? searching = null, CancellationToken cancellationToken = default)
    {
        var question = prompt.Count > 0 && prompt[^1].Role == ChatRole.User ? prompt[^1].Text : "";
        if (scope.Kind == DocumentScopeKind.Off || string.IsNullOrWhiteSpace(question))
        {
            return new GroundedPrompt(prompt, [], Searched: false);
        }
        var searchable = await SearchableAsync(userId, scope, cancellationToken);
        if (searchable.Count == 0)
        {
            return new GroundedPrompt(prompt, [], Searched: false);
        }
        searching?.Invoke();
        var settings = options.CurrentValue.Documents;
        // The search checks the user's roles once more, against the same database.
        var hits = await retrieval.SearchAsync(question, userId, searchable, settings.TopK, settings.Mode, cancellationToken);
        var sources = hits
            .Where(h => settings.Mode == RetrievalMode.Lexical || h.Similarity >= settings.MinSimilarity)
            .Select((h, i) => new GroundingSource(i + 1, h.ChunkId, h.DocumentId, h.DocumentName, h.Page, h.HeadingPath, h.Text, h.Snippet, h.Similarity))
            .ToList();
        return new GroundedPrompt(SourcePrompt.Ground(prompt, sources), sources, Searched: true);
    }

    /// <summary>The collections of the scope the user may read now and that hold at least one ready document.</summary>
    private async Task<List<Guid>> SearchableAsync(string userId, DocumentScope scope, CancellationToken cancellationToken)
    {
        var readable = await access.ReadableAsync(userId, cancellationToken);
        var wanted = (scope.Kind == DocumentScopeKind.All ? readable : scope.CollectionIds.Where(readable.Contains)).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<DocumentCollection>().AsNoTracking()
            .Where(dc => wanted.Contains(dc.CollectionId) && dc.Document!.Status == DocumentStatus.Ready)
            .Select(dc => dc.CollectionId).Distinct()
            .ToListAsync(cancellationToken);
    }
}

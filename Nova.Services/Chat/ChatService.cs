using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;
using Nova.Services.RateLimiting;

namespace Nova.Services.Chat;

/// <summary>
/// Conversations and turns for one user at a time. Every call takes the signed-in user's id and checks
/// it against the owner: another user's conversation or message behaves exactly like one that does not
/// exist (<see cref="ChatNotFoundException"/>). Refusals are <see cref="ChatException"/>s whose message
/// can be shown as is. A context is made per call, so one instance serves a whole circuit.
/// </summary>
public sealed partial class ChatService(
    IDbContextFactory<NovaDbContext> contexts,
    GenerationRegistry registry,
    CollectionAccess access,
    IChatRateLimiter rateLimiter,
    TimeProvider time,
    IOptionsMonitor<NovaChatOptions> options)
{
    public const int MaxSearchLength = 200;
    public const int MaxPageSize = 200;

    /// <summary>What a chat uses where its own settings are null.</summary>
    public ConversationSettings Defaults
    {
        get
        {
            var o = options.CurrentValue;
            return new ConversationSettings(o.DefaultModel, o.DefaultSystemPrompt, o.DefaultTemperature, o.DefaultMaxTokens);
        }
    }

    /// <summary>The longest message that can be sent, in characters (<c>Nova:Chat:MaxInputChars</c>).</summary>
    public int MaxInputChars => options.CurrentValue.MaxInputChars;

    /// <summary>
    /// The user's chats for the drawer, pinned first, then by last activity. The search matches titles
    /// and message text, ignoring case.
    /// </summary>
    public async Task<ConversationPage> ListAsync(string userId, ConversationQuery query, CancellationToken cancellationToken = default)
    {
        var take = Math.Clamp(query.Take, 1, MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversations = db.Set<Conversation>().AsNoTracking().Where(c => c.OwnerId == userId);
        if (TitleText.Clean(query.Search ?? "", MaxSearchLength) is { } search)
        {
            // Contains is translated without LIKE wildcards, so '%' and '_' in a search are plain text.
            var lowered = search.ToLowerInvariant();
            conversations = conversations.Where(c =>
                c.Title.ToLower().Contains(lowered) || c.Messages.Any(m => m.Content.ToLower().Contains(lowered)));
        }
        var items = await conversations
            .OrderByDescending(c => c.IsPinned).ThenByDescending(c => c.UpdatedAt).ThenBy(c => c.Id)
            .Skip(Math.Max(0, query.Skip)).Take(take + 1)
            .Select(c => new ConversationSummary(c.Id, c.Title, c.IsPinned, c.CreatedAt, c.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new ConversationPage(items.Count > take ? items[..take] : items, items.Count > take);
    }

    /// <summary>A new, empty chat on the default settings, grounded in every document the user may read.</summary>
    public Task<ConversationSummary> CreateAsync(string userId, CancellationToken cancellationToken = default) =>
        CreateAsync(userId, DocumentScope.All, cancellationToken);

    /// <summary>A new, empty chat on the default settings, grounded in <paramref name="documents"/> (see <see cref="SetDocumentScopeAsync"/>).</summary>
    public async Task<ConversationSummary> CreateAsync(string userId, DocumentScope documents, CancellationToken cancellationToken = default)
    {
        var conversation = NewConversation(userId);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ApplyScopeAsync(db, conversation, userId, documents, cancellationToken);
        db.Add(conversation);
        using var turn = await registry.Writes.EnterAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ChatMapping.ToSummary(conversation);
    }

    /// <summary>The chat with the thread on screen; answers being written show their live text.</summary>
    public async Task<ConversationView> GetAsync(string userId, Guid conversationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Set<Conversation>().AsNoTracking().Include(c => c.Collections)
            .SingleOrDefaultAsync(c => c.Id == conversationId && c.OwnerId == userId, cancellationToken)
            ?? throw new ChatNotFoundException();
        var tree = await LoadTreeAsync(db, conversationId, tracked: false, cancellationToken);
        return await ViewAsync(db, conversation, tree, cancellationToken);
    }

    /// <summary>
    /// Grounds the chat's answers in <paramref name="documents"/>: all the documents the user may read,
    /// chosen collections, or none. Chosen collections the user may not read are left out (and whatever is
    /// stored, each answer searches only what the user may read when it is asked). Returns what was stored.
    /// </summary>
    public async Task<DocumentScope> SetDocumentScopeAsync(
        string userId, Guid conversationId, DocumentScope documents, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Set<Conversation>().Include(c => c.Collections)
            .SingleOrDefaultAsync(c => c.Id == conversationId && c.OwnerId == userId, cancellationToken)
            ?? throw new ChatNotFoundException();
        var stored = await ApplyScopeAsync(db, conversation, userId, documents, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return stored;
    }

    /// <summary>Renames a chat; the title is kept as plain text on one line.</summary>
    public async Task<ConversationSummary> RenameAsync(string userId, Guid conversationId, string title, CancellationToken cancellationToken = default)
    {
        var clean = TitleText.Clean(title ?? "", Conversation.MaxTitleLength)
            ?? throw new ChatValidationException("A title needs at least one visible character.");
        return await UpdateConversationAsync(userId, conversationId, c =>
        {
            c.Title = clean;
            c.HasCustomTitle = true;
        }, cancellationToken);
    }

    public async Task<ConversationSummary> SetPinnedAsync(string userId, Guid conversationId, bool pinned, CancellationToken cancellationToken = default) =>
        await UpdateConversationAsync(userId, conversationId, c => c.IsPinned = pinned, cancellationToken);

    /// <summary>
    /// Stores the chat's own settings; null values follow the defaults. Temperature must be 0–2 and max
    /// tokens at least 1; max tokens above <c>Nova:Chat:MaxTokensLimit</c> are lowered to it.
    /// </summary>
    public async Task<ConversationSettings> UpdateSettingsAsync(
        string userId, Guid conversationId, ConversationSettings settings, CancellationToken cancellationToken = default)
    {
        var valid = Validate(settings);
        await UpdateConversationAsync(userId, conversationId, c => Apply(c, valid), cancellationToken);
        return valid;
    }

    /// <summary>Deletes a chat and all its messages, stopping an answer still being written in it.</summary>
    public async Task DeleteAsync(string userId, Guid conversationId, CancellationToken cancellationToken = default)
    {
        using var gate = await registry.Gate.EnterAsync(conversationId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<Conversation>().AnyAsync(c => c.Id == conversationId && c.OwnerId == userId, cancellationToken))
        {
            throw new ChatNotFoundException();
        }
        await registry.StopConversationAsync(conversationId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<MessageSource>().Where(s => db.Set<ChatMessage>().Any(m => m.Id == s.MessageId && m.ConversationId == conversationId))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Set<ConversationCollection>().Where(c => c.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<ChatMessage>().Where(m => m.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Conversation>().Where(c => c.Id == conversationId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Thumbs up or down on an answer; null clears it.</summary>
    public async Task SetFeedbackAsync(string userId, Guid messageId, MessageFeedback? feedback, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await OwnedMessageAsync(db, userId, messageId, cancellationToken);
        if (message.Role != MessageRole.Assistant)
        {
            throw new ChatValidationException("Only answers can be rated.");
        }
        message.Feedback = feedback;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Shows another version of a message (an earlier answer, or an earlier wording of a question) with
    /// the newest thread that follows it, and remembers the choice.
    /// </summary>
    public async Task<ConversationView> SelectVersionAsync(string userId, Guid messageId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await OwnedMessageAsync(db, userId, messageId, cancellationToken);
        var conversation = await db.Set<Conversation>().Include(c => c.Collections).SingleAsync(c => c.Id == message.ConversationId, cancellationToken);
        var tree = await LoadTreeAsync(db, conversation.Id, tracked: false, cancellationToken);
        conversation.CurrentMessageId = tree.NewestLeafUnder(tree.Find(messageId))?.Id;
        await db.SaveChangesAsync(cancellationToken);
        return await ViewAsync(db, conversation, tree, cancellationToken);
    }

    /// <summary>Stops an answer being written, keeping what arrived; see <see cref="GenerationRegistry.StopAsync"/>.</summary>
    public Task StopAsync(string userId, Guid assistantMessageId, CancellationToken cancellationToken = default) =>
        registry.StopAsync(assistantMessageId, userId, cancellationToken);

    /// <summary>The view of a conversation whose collections are loaded.</summary>
    private async Task<ConversationView> ViewAsync(NovaDbContext db, Conversation conversation, MessageTree tree, CancellationToken cancellationToken)
    {
        var path = tree.Path(conversation.CurrentMessageId);
        var sources = await SourcesAsync(db, [.. path.Where(m => m.Role == MessageRole.Assistant).Select(m => m.Id)], cancellationToken);
        List<MessageView> messages = [];
        foreach (var m in path)
        {
            var shown = m.Status == MessageStatus.Streaming ? await registry.ShownStateAsync(m, cancellationToken) : null;
            messages.Add(ChatMapping.ToView(m, tree.Siblings(m), shown, sources.TryGetValue(m.Id, out var cited) ? cited : []));
        }
        return new ConversationView(ChatMapping.ToSummary(conversation), ChatMapping.ToSettings(conversation), ChatMapping.ToScope(conversation), messages);
    }

    /// <summary>The stored sources of the answers, by answer, each marked when its document has been deleted since.</summary>
    private static async Task<Dictionary<Guid, IReadOnlyList<SourceView>>> SourcesAsync(
        NovaDbContext db, List<Guid> answerIds, CancellationToken cancellationToken)
    {
        if (answerIds.Count == 0)
        {
            return [];
        }
        var stored = await db.Set<MessageSource>().AsNoTracking().Where(s => answerIds.Contains(s.MessageId))
            .OrderBy(s => s.MessageId).ThenBy(s => s.Number).ToListAsync(cancellationToken);
        if (stored.Count == 0)
        {
            return [];
        }
        var documentIds = stored.Select(s => s.DocumentId).Distinct().ToList();
        var existing = (await db.Set<Document>().Where(d => documentIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        return stored.GroupBy(s => s.MessageId).ToDictionary(
            g => g.Key, IReadOnlyList<SourceView> (g) => [.. g.Select(s => ChatMapping.ToView(s, documentRemoved: !existing.Contains(s.DocumentId)))]);
    }

    /// <summary>Sets the scope on a conversation whose collections are loaded, keeping only collections the user may read.</summary>
    private async Task<DocumentScope> ApplyScopeAsync(
        NovaDbContext db, Conversation conversation, string userId, DocumentScope documents, CancellationToken cancellationToken)
    {
        conversation.DocumentScope = documents.Kind;
        List<Guid> kept = [];
        if (documents.Kind == DocumentScopeKind.Collections)
        {
            var readable = await access.ReadableAsync(userId, cancellationToken);
            kept = [.. documents.CollectionIds.Distinct().Where(readable.Contains)];
        }
        conversation.Collections.RemoveAll(c => !kept.Contains(c.CollectionId));
        conversation.Collections.AddRange(kept.Where(id => conversation.Collections.All(c => c.CollectionId != id))
            .Select(id => new ConversationCollection { ConversationId = conversation.Id, CollectionId = id }));
        return ChatMapping.ToScope(conversation);
    }

    private async Task<ConversationSummary> UpdateConversationAsync(
        string userId, Guid conversationId, Action<Conversation> update, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await OwnedConversationAsync(db, userId, conversationId, cancellationToken);
        update(conversation);
        await db.SaveChangesAsync(cancellationToken);
        return ChatMapping.ToSummary(conversation);
    }

    private Conversation NewConversation(string userId)
    {
        var now = time.GetUtcNow();
        return new Conversation
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = userId,
            Title = TitleText.NewChat,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static void Apply(Conversation conversation, ConversationSettings valid)
    {
        conversation.Model = valid.Model;
        conversation.SystemPrompt = valid.SystemPrompt;
        conversation.Temperature = valid.Temperature;
        conversation.MaxTokens = valid.MaxTokens;
    }

    private ConversationSettings Validate(ConversationSettings settings)
    {
        var o = options.CurrentValue;
        var model = string.IsNullOrWhiteSpace(settings.Model) ? null : settings.Model.Trim();
        if (model?.Length > Conversation.MaxModelLength || (model is not null && model.Any(char.IsControl)))
        {
            throw new ChatValidationException("That model name is not valid.");
        }
        if (settings.SystemPrompt?.Length > o.MaxSystemPromptChars)
        {
            throw new ChatValidationException($"The system prompt may be at most {o.MaxSystemPromptChars:N0} characters long.");
        }
        if (settings.Temperature is { } t && !(t is >= 0 and <= 2))
        {
            throw new ChatValidationException("Temperature must be between 0 and 2.");
        }
        if (settings.MaxTokens is < 1)
        {
            throw new ChatValidationException("Max tokens must be at least 1.");
        }
        return new ConversationSettings(
            model,
            settings.SystemPrompt?.Replace("\0", ""),
            settings.Temperature,
            settings.MaxTokens is { } max ? Math.Min(max, o.MaxTokensLimit) : null);
    }

    private static async Task<Conversation> OwnedConversationAsync(
        NovaDbContext db, string userId, Guid conversationId, CancellationToken cancellationToken) =>
        await db.Set<Conversation>().SingleOrDefaultAsync(c => c.Id == conversationId && c.OwnerId == userId, cancellationToken)
        ?? throw new ChatNotFoundException();

    private static async Task<ChatMessage> OwnedMessageAsync(
        NovaDbContext db, string userId, Guid messageId, CancellationToken cancellationToken) =>
        await db.Set<ChatMessage>().SingleOrDefaultAsync(m => m.Id == messageId && m.Conversation!.OwnerId == userId, cancellationToken)
        ?? throw new ChatNotFoundException();

    private static async Task<MessageTree> LoadTreeAsync(NovaDbContext db, Guid conversationId, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Set<ChatMessage>().Where(m => m.ConversationId == conversationId);
        return new MessageTree(await (tracked ? query : query.AsNoTracking()).ToListAsync(cancellationToken));
    }
}

using Microsoft.EntityFrameworkCore;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;

namespace Nova.Services.Chat;

public sealed partial class ChatService
{
    /// <summary>
    /// Sends a question after the thread on screen. The question and an empty answer (status Streaming)
    /// are stored in one transaction before the model is called; the answer is then written by a
    /// background generation (<see cref="GenerationRegistry.SubscribeAsync"/> to watch it). Sending again
    /// with the same <paramref name="idempotencyKey"/> returns the first turn and starts nothing.
    /// </summary>
    /// <exception cref="ChatValidationException">Empty or too long; nothing stored.</exception>
    /// <exception cref="ChatLimitException">Too many answers being written for this user; nothing stored.</exception>
    /// <exception cref="ChatConflictException">This chat is still writing an answer; nothing stored.</exception>
    public async Task<ChatTurn> SendAsync(
        string userId, Guid conversationId, string text, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var question = ValidateQuestion(text);
        ValidateKey(idempotencyKey);
        using var gate = await registry.Gate.EnterAsync(conversationId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await OwnedConversationAsync(db, userId, conversationId, cancellationToken);
        if (await FindTurnAsync(db, conversationId, idempotencyKey, cancellationToken) is { } existing)
        {
            return existing;
        }
        var tree = await LoadTreeAsync(db, conversationId, tracked: false, cancellationToken);
        var earlier = tree.Path(conversation.CurrentMessageId);
        return await StartTurnAsync(db, conversation, tree, earlier, NewQuestion(conversation, earlier.LastOrDefault()?.Id, question, idempotencyKey), cancellationToken);
    }

    /// <summary>
    /// Starts a new chat with its first question: the chat (with <paramref name="settings"/>, validated as by
    /// <see cref="UpdateSettingsAsync"/>, and grounded in <paramref name="documents"/>), the question and an empty
    /// answer are stored in one transaction, then the answer is written as for <see cref="SendAsync"/>. One
    /// write instead of a create, an update and a send, for callers (the REST API) that know it all at once.
    /// </summary>
    /// <exception cref="ChatValidationException">A setting or the question is not valid; nothing stored.</exception>
    /// <exception cref="ChatLimitException">Too many answers being written for this user; nothing stored.</exception>
    public Task<ChatTurn> StartChatAsync(
        string userId, DocumentScope documents, ConversationSettings settings, string text, string idempotencyKey,
        CancellationToken cancellationToken = default) =>
        StartChatAsync(userId, documents, settings, [], text, idempotencyKey, cancellationToken);

    /// <summary>
    /// As <see cref="StartChatAsync(string, DocumentScope, ConversationSettings, string, string, CancellationToken)"/>, with
    /// the turns a client already had before its question (<paramref name="history"/>, user and assistant messages
    /// in order): they are stored as the chat's thread, in the same write, and the model is sent them as the chat's history.
    /// </summary>
    /// <exception cref="ChatValidationException">A setting, the question or a message of the history is not valid; nothing stored.</exception>
    /// <exception cref="ChatLimitException">Too many answers being written for this user; nothing stored.</exception>
    public async Task<ChatTurn> StartChatAsync(
        string userId, DocumentScope documents, ConversationSettings settings, IReadOnlyList<HistoryMessage> history, string text,
        string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var question = ValidateQuestion(text);
        ValidateKey(idempotencyKey);
        var conversation = NewConversation(userId);
        Apply(conversation, Validate(settings));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ApplyScopeAsync(db, conversation, userId, documents, cancellationToken);
        db.Add(conversation);
        db.Entry(conversation).Collection(c => c.Collections).IsLoaded = true;
        var earlier = Thread(conversation, history);
        db.AddRange(earlier);
        return await StartTurnAsync(db, conversation, new MessageTree([]), earlier,
            NewQuestion(conversation, earlier.LastOrDefault()?.Id, question, idempotencyKey), cancellationToken);
    }

    /// <summary>A client's earlier turns as stored messages, each the parent of the next, a tick apart so they keep their order.</summary>
    private List<ChatMessage> Thread(Conversation conversation, IReadOnlyList<HistoryMessage> history)
    {
        var start = time.GetUtcNow().AddTicks(-history.Count - 1);
        List<ChatMessage> thread = [];
        foreach (var (role, text) in history)
        {
            var at = start.AddTicks(thread.Count);
            thread.Add(new ChatMessage
            {
                Id = Guid.CreateVersion7(at),
                ConversationId = conversation.Id,
                ParentId = thread.LastOrDefault()?.Id,
                Role = role == MessageRole.User ? MessageRole.User : MessageRole.Assistant,
                // PostgreSQL text cannot hold NUL.
                Content = text.Replace("\0", ""),
                Status = MessageStatus.Completed,
                CreatedAt = at,
            });
        }
        return thread;
    }

    /// <summary>Writes a new answer to the same question; the earlier answers stay as versions.</summary>
    /// <exception cref="ChatLimitException">Too many answers being written for this user.</exception>
    /// <exception cref="ChatConflictException">This chat is still writing an answer.</exception>
    public async Task<ChatTurn> RegenerateAsync(string userId, Guid assistantMessageId, CancellationToken cancellationToken = default)
    {
        var conversationId = await ConversationOfAsync(userId, assistantMessageId, MessageRole.Assistant, cancellationToken);
        using var gate = await registry.Gate.EnterAsync(conversationId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await OwnedConversationAsync(db, userId, conversationId, cancellationToken);
        var tree = await LoadTreeAsync(db, conversationId, tracked: false, cancellationToken);
        var question = tree.Find(assistantMessageId)?.ParentId is { } parent ? tree.Find(parent) : null;
        if (question is null)
        {
            throw new ChatValidationException("This answer has no question to answer again.");
        }
        var earlier = tree.Ancestry(question).SkipLast(1).ToList();
        return await StartTurnAsync(db, conversation, tree, earlier, question, cancellationToken);
    }

    /// <summary>
    /// Sends a new wording of an earlier question: it becomes a version of that question, on a branch of
    /// its own with a new answer; the earlier branch stays. The key works as for <see cref="SendAsync"/>.
    /// </summary>
    /// <exception cref="ChatValidationException">Empty or too long; nothing stored.</exception>
    /// <exception cref="ChatLimitException">Too many answers being written for this user; nothing stored.</exception>
    /// <exception cref="ChatConflictException">This chat is still writing an answer; nothing stored.</exception>
    public async Task<ChatTurn> EditAndResendAsync(
        string userId, Guid userMessageId, string newText, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var text = ValidateQuestion(newText);
        ValidateKey(idempotencyKey);
        var conversationId = await ConversationOfAsync(userId, userMessageId, MessageRole.User, cancellationToken);
        using var gate = await registry.Gate.EnterAsync(conversationId, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var conversation = await OwnedConversationAsync(db, userId, conversationId, cancellationToken);
        if (await FindTurnAsync(db, conversationId, idempotencyKey, cancellationToken) is { } existing)
        {
            return existing;
        }
        var tree = await LoadTreeAsync(db, conversationId, tracked: false, cancellationToken);
        var original = tree.Find(userMessageId) ?? throw new ChatNotFoundException();
        var earlier = original.ParentId is { } parent && tree.Find(parent) is { } previous ? tree.Ancestry(previous) : [];
        return await StartTurnAsync(db, conversation, tree, earlier, NewQuestion(conversation, original.ParentId, text, idempotencyKey), cancellationToken);
    }

    private ChatMessage NewQuestion(Conversation conversation, Guid? parentId, string text, string idempotencyKey)
    {
        var now = time.GetUtcNow();
        return new ChatMessage
        {
            Id = Guid.CreateVersion7(now),
            ConversationId = conversation.Id,
            ParentId = parentId,
            Role = MessageRole.User,
            Content = text,
            Status = MessageStatus.Completed,
            CreatedAt = now,
            IdempotencyKey = idempotencyKey,
        };
    }

    /// <summary>
    /// Stores the question (when new) and an empty answer in one transaction, then starts the
    /// generation. The slot and the user's allowance are taken first, so a refused turn stores nothing.
    /// This is the one path every new answer takes (chat page and REST API, send, edit and regenerate),
    /// so each draws once from the per-user rate limit, and a repeated submission returns before it.
    /// </summary>
    private async Task<ChatTurn> StartTurnAsync(
        NovaDbContext db, Conversation conversation, MessageTree tree, IReadOnlyList<ChatMessage> earlier,
        ChatMessage question, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var answerId = Guid.CreateVersion7(now);
        var slot = await registry.ReserveAsync(conversation.OwnerId, conversation.Id, answerId, cancellationToken);
        GenerationRequest request;
        try
        {
            // After the slot: a turn refused as busy does not use up the allowance.
            if (await rateLimiter.TryAcquireAsync(conversation.OwnerId, cancellationToken) is { Allowed: false } refused)
            {
                throw new ChatRateLimitException(refused.RetryAfter ?? TimeSpan.FromSeconds(1));
            }
            if (conversation.DocumentScope == DocumentScopeKind.Collections && !db.Entry(conversation).Collection(c => c.Collections).IsLoaded)
            {
                await db.Entry(conversation).Collection(c => c.Collections).LoadAsync(cancellationToken);
            }
            var answer = new ChatMessage
            {
                Id = answerId,
                ConversationId = conversation.Id,
                ParentId = question.Id,
                Role = MessageRole.Assistant,
                Status = MessageStatus.Streaming,
                CreatedAt = now,
                ReplicaId = registry.ReplicaId,
            };
            if (tree.Find(question.Id) is null)
            {
                db.Add(question);
            }
            db.Add(answer);
            if (tree.IsEmpty && !conversation.HasCustomTitle)
            {
                conversation.Title = TitleText.FromMessage(question.Content);
            }
            conversation.UpdatedAt = now;
            conversation.CurrentMessageId = answer.Id;
            request = PromptBuilder.Build(options.CurrentValue, conversation, earlier, question, answer.Id);
            using var turn = await registry.Writes.EnterAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (question.IdempotencyKey is not null)
        {
            slot.Dispose();
            // Another replica may have stored the same submission first: then its turn is this turn.
            if (await FindStoredTurnAsync(conversation.Id, question.IdempotencyKey) is { } raced)
            {
                return raced;
            }
            throw;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        registry.Start(slot, request);
        return new ChatTurn(conversation.Id, question.Id, request.MessageId);
    }

    private async Task<ChatTurn?> FindStoredTurnAsync(Guid conversationId, string idempotencyKey)
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await FindTurnAsync(db, conversationId, idempotencyKey, CancellationToken.None);
    }

    private static async Task<ChatTurn?> FindTurnAsync(
        NovaDbContext db, Guid conversationId, string idempotencyKey, CancellationToken cancellationToken)
    {
        var question = await db.Set<ChatMessage>().AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.IdempotencyKey == idempotencyKey)
            .Select(m => new { m.Id })
            .SingleOrDefaultAsync(cancellationToken);
        if (question is null)
        {
            return null;
        }
        var answer = await db.Set<ChatMessage>().AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.ParentId == question.Id && m.Role == MessageRole.Assistant)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => m.Id)
            .FirstAsync(cancellationToken);
        return new ChatTurn(conversationId, question.Id, answer);
    }

    private async Task<Guid> ConversationOfAsync(string userId, Guid messageId, MessageRole role, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var message = await db.Set<ChatMessage>().AsNoTracking()
            .Where(m => m.Id == messageId && m.Conversation!.OwnerId == userId)
            .Select(m => new { m.ConversationId, m.Role })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new ChatNotFoundException();
        if (message.Role != role)
        {
            throw new ChatValidationException(role == MessageRole.User ? "Only questions can be edited." : "Only answers can be regenerated.");
        }
        return message.ConversationId;
    }

    private string ValidateQuestion(string? text)
    {
        var limit = options.CurrentValue.MaxInputChars;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ChatValidationException("The message is empty.");
        }
        if (text.Length > limit)
        {
            throw new ChatValidationException(
                $"The message is {text.Length:N0} characters long; the limit is {limit:N0}. Shorten it or send it in parts.");
        }
        // PostgreSQL text cannot hold NUL, and no reader needs one.
        return text.Replace("\0", "");
    }

    private static void ValidateKey(string? idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > ChatMessage.MaxIdempotencyKeyLength)
        {
            throw new ChatValidationException(
                $"Each message needs an idempotency key of 1 to {ChatMessage.MaxIdempotencyKeyLength} characters.");
        }
    }
}

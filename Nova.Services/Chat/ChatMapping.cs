using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat;

internal static class ChatMapping
{
    public static ConversationSummary ToSummary(Conversation c) => new(c.Id, c.Title, c.IsPinned, c.CreatedAt, c.UpdatedAt);

    public static ConversationSettings ToSettings(Conversation c) => new(c.Model, c.SystemPrompt, c.Temperature, c.MaxTokens);

    /// <summary>The chat's documents; its <see cref="Conversation.Collections"/> must be loaded.</summary>
    public static DocumentScope ToScope(Conversation c) => c.DocumentScope == DocumentScopeKind.Collections
        ? DocumentScope.Only(c.Collections.Select(cc => cc.CollectionId))
        : new DocumentScope(c.DocumentScope, []);

    public static MessageUsage ToUsage(ChatMessage m) =>
        new(m.PromptTokens, m.CompletionTokens, m.TimeToFirstTokenMs, m.TokensPerSecond, m.Model, m.Endpoint) { Estimated = m.UsageEstimated };

    public static GenerationState ToState(ChatMessage m) => new(m.Id, m.Content, m.Status, m.Error, ToUsage(m));

    public static SourceView ToView(MessageSource s, bool documentRemoved) =>
        new(s.Number, s.ChunkId, s.DocumentId, s.DocumentName, s.Page, s.HeadingPath, s.Snippet, s.Score, documentRemoved);

    /// <summary>
    /// A message of the thread; a live generation's state replaces the last flushed text, and its sources
    /// the stored ones (which it writes before the model answers).
    /// </summary>
    public static MessageView ToView(ChatMessage m, IReadOnlyList<ChatMessage> versions, GenerationState? live, IReadOnlyList<SourceView> sources) => new(
        m.Id,
        m.ParentId,
        m.Role,
        live?.Text ?? m.Content,
        live?.Status ?? m.Status,
        live is null ? m.Error : live.Error,
        m.CreatedAt,
        m.Feedback,
        live?.Usage ?? ToUsage(m),
        [.. versions.Select(v => v.Id)],
        Math.Max(0, versions.ToList().FindIndex(v => v.Id == m.Id)),
        live is { Sources.Count: > 0 } ? live.Sources : sources);
}

using Nova.Services.Chat.Data;

namespace Nova.Services.Chat;

internal static class ChatMapping
{
    public static ConversationSummary ToSummary(Conversation c) => new(c.Id, c.Title, c.IsPinned, c.CreatedAt, c.UpdatedAt);

    public static ConversationSettings ToSettings(Conversation c) => new(c.Model, c.SystemPrompt, c.Temperature, c.MaxTokens);

    public static MessageUsage ToUsage(ChatMessage m) =>
        new(m.PromptTokens, m.CompletionTokens, m.TimeToFirstTokenMs, m.TokensPerSecond, m.Model, m.Endpoint);

    public static GenerationState ToState(ChatMessage m) => new(m.Id, m.Content, m.Status, m.Error, ToUsage(m));

    /// <summary>A message of the thread; a live generation's state replaces the last flushed text.</summary>
    public static MessageView ToView(ChatMessage m, IReadOnlyList<ChatMessage> versions, GenerationState? live) => new(
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
        Math.Max(0, versions.ToList().FindIndex(v => v.Id == m.Id)));
}

using Nova.Services.Chat.Data;

namespace Nova.Services.Chat;

/// <summary>A chat as the drawer lists it.</summary>
public sealed record ConversationSummary(Guid Id, string Title, bool IsPinned, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One page of the drawer; <see cref="HasMore"/> says whether another page follows.</summary>
public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, bool HasMore);

/// <summary>What to list: an optional search over titles and message text, and the page.</summary>
public sealed record ConversationQuery(string? Search = null, int Skip = 0, int Take = 50);

/// <summary>Per-chat settings; a null value means "the configured default".</summary>
public sealed record ConversationSettings(string? Model, string? SystemPrompt, double? Temperature, int? MaxTokens);

/// <summary>A chat with the thread on screen: the path from the first question to the selected branch's last answer.</summary>
public sealed record ConversationView(ConversationSummary Summary, ConversationSettings Settings, IReadOnlyList<MessageView> Messages);

/// <summary>What a generation measured; null where the backend did not say or no model answered.</summary>
public sealed record MessageUsage(
    int? PromptTokens, int? CompletionTokens, int? TimeToFirstTokenMs, double? TokensPerSecond, string? Model, string? Endpoint)
{
    public static readonly MessageUsage None = new(null, null, null, null, null, null);
}

/// <summary>
/// One message of the thread. <see cref="Versions"/> lists it and its siblings (earlier answers, or
/// earlier wordings of a question) oldest first; <see cref="VersionIndex"/> is this one's place there.
/// </summary>
public sealed record MessageView(
    Guid Id,
    Guid? ParentId,
    MessageRole Role,
    string Content,
    MessageStatus Status,
    string? Error,
    DateTimeOffset CreatedAt,
    MessageFeedback? Feedback,
    MessageUsage Usage,
    IReadOnlyList<Guid> Versions,
    int VersionIndex);

/// <summary>The two messages a turn stored: the question and the answer being written.</summary>
public sealed record ChatTurn(Guid ConversationId, Guid UserMessageId, Guid AssistantMessageId);

/// <summary>A generation at one moment: the text so far, its status, and what it measured.</summary>
public sealed record GenerationState(Guid MessageId, string Text, MessageStatus Status, string? Error, MessageUsage Usage)
{
    public bool IsFinal => Status != MessageStatus.Streaming;
}

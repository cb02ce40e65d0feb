using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat;

/// <summary>A chat as the drawer lists it.</summary>
public sealed record ConversationSummary(Guid Id, string Title, bool IsPinned, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One page of the drawer; <see cref="HasMore"/> says whether another page follows.</summary>
public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, bool HasMore);

/// <summary>What to list: an optional search over titles and message text, and the page.</summary>
public sealed record ConversationQuery(string? Search = null, int Skip = 0, int Take = 50);

/// <summary>Per-chat settings; a null value means "the configured default".</summary>
public sealed record ConversationSettings(string? Model, string? SystemPrompt, double? Temperature, int? MaxTokens);

/// <summary>
/// A chat with the thread on screen (the path from the first question to the selected branch's last
/// answer) and the documents its answers are grounded in.
/// </summary>
public sealed record ConversationView(
    ConversationSummary Summary, ConversationSettings Settings, DocumentScope Documents, IReadOnlyList<MessageView> Messages);

/// <summary>
/// What a generation measured; null where no model answered. <see cref="Estimated"/> is set when Nova counted the
/// tokens itself because the backend reported none.
/// </summary>
public sealed record MessageUsage(
    int? PromptTokens, int? CompletionTokens, int? TimeToFirstTokenMs, double? TokensPerSecond, string? Model, string? Endpoint)
{
    public static readonly MessageUsage None = new(null, null, null, null, null, null);

    public bool Estimated { get; init; }
}

/// <summary>
/// One message of the thread. <see cref="Versions"/> lists it and its siblings (earlier answers, or
/// earlier wordings of a question) oldest first; <see cref="VersionIndex"/> is this one's place there.
/// <see cref="Sources"/> are the passages an answer was grounded in, by number.
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
    int VersionIndex,
    IReadOnlyList<SourceView> Sources);

/// <summary>
/// A passage an answer cites as [<see cref="Number"/>], as stored with the answer. <see cref="DocumentRemoved"/>
/// says the document has been deleted since: the snippet is then all that is left of it.
/// </summary>
public sealed record SourceView(
    int Number,
    Guid ChunkId,
    Guid DocumentId,
    string DocumentName,
    int? Page,
    string HeadingPath,
    string Snippet,
    float? Score,
    bool DocumentRemoved = false)
{
    /// <summary>"page 3", the innermost heading, or both, for a citation's label; empty when neither is known.</summary>
    public string Place => string.Join(" · ", new[] { Page is { } page ? $"page {page}" : null, Section }.Where(p => p is not null));

    /// <summary>The innermost heading above the passage, or null.</summary>
    public string? Section => HeadingPath.Length == 0 ? null : HeadingPath.Split(" > ")[^1];
}

/// <summary>The two messages a turn stored: the question and the answer being written.</summary>
public sealed record ChatTurn(Guid ConversationId, Guid UserMessageId, Guid AssistantMessageId);

/// <summary>
/// A generation at one moment: the text so far, its status, and what it measured; while it is written,
/// also whether it is still searching the documents and the sources it found (which an answer's
/// citations refer to before it is stored).
/// </summary>
public sealed record GenerationState(Guid MessageId, string Text, MessageStatus Status, string? Error, MessageUsage Usage)
{
    public bool IsFinal => Status != MessageStatus.Streaming;

    /// <summary>True while the documents are being searched, before the model is asked.</summary>
    public bool IsSearching { get; init; }

    public IReadOnlyList<SourceView> Sources { get; init; } = [];
}

/// <summary>
/// A generation as it is written, for a reader that keeps the text itself: the text added since the reader's
/// last read, the length of the whole, and the rest of what shows while it is written. Reading it never copies
/// the whole answer, so its cost does not grow with the answer.
/// </summary>
public sealed record GenerationProgress(string Appended, int Length, MessageStatus Status, bool IsSearching, IReadOnlyList<SourceView> Sources)
{
    public bool IsFinal => Status != MessageStatus.Streaming;
}

/// <summary>A turn a client had before it asked Nova to keep its chat: who said it (user or assistant) and what.</summary>
public sealed record HistoryMessage(MessageRole Role, string Text);

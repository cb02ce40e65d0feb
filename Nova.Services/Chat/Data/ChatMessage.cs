namespace Nova.Services.Chat.Data;

/// <summary>
/// One message of a conversation. Messages form a tree through <see cref="ParentId"/>: a regenerated
/// answer is a sibling of the earlier answer, an edited question a sibling of the earlier question,
/// so every version stays and can be flipped through.
/// </summary>
public sealed class ChatMessage
{
    public const int MaxErrorLength = 1000;
    public const int MaxIdempotencyKeyLength = 100;

    public Guid Id { get; set; }

    public Guid ConversationId { get; set; }

    public Conversation? Conversation { get; set; }

    /// <summary>The message this one answers or follows; null for the first question.</summary>
    public Guid? ParentId { get; set; }

    public MessageRole Role { get; set; }

    public string Content { get; set; } = "";

    public MessageStatus Status { get; set; }

    /// <summary>Why a generation failed, in words a user can read.</summary>
    public string? Error { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public MessageFeedback? Feedback { get; set; }

    /// <summary>Supplied by the client with a question, unique per conversation: a second submission is the same turn.</summary>
    public string? IdempotencyKey { get; set; }

    public int? PromptTokens { get; set; }

    public int? CompletionTokens { get; set; }

    /// <summary>
    /// The token counts were counted by Nova (<see cref="Llm.UsageEstimate"/>) because the model server reported
    /// none: close, not exact. Accounting that must be exact can tell them apart.
    /// </summary>
    public bool UsageEstimated { get; set; }

    public int? TimeToFirstTokenMs { get; set; }

    public double? TokensPerSecond { get; set; }

    public string? Model { get; set; }

    public string? Endpoint { get; set; }

    /// <summary>The replica writing (or that wrote) this answer; while it streams, only that replica may end it.</summary>
    public Guid? ReplicaId { get; set; }
}

public enum MessageRole
{
    User,
    Assistant,
    System,
}

public enum MessageStatus
{
    Streaming,
    Completed,
    Stopped,
    Failed,
    Interrupted,
}

public enum MessageFeedback
{
    Up,
    Down,
}

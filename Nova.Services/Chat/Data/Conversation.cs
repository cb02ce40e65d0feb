using Nova.Services.Chat.Grounding;

namespace Nova.Services.Chat.Data;

/// <summary>A chat owned by one user, with its own model settings and the documents it is grounded in.</summary>
public sealed class Conversation
{
    public const int MaxTitleLength = 200;
    public const int MaxModelLength = 200;

    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Title { get; set; }

    /// <summary>Set once the user renamed the chat or the model named it, so neither is overwritten.</summary>
    public bool HasCustomTitle { get; set; }

    public bool IsPinned { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last activity (a turn), which orders the drawer.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The leaf of the branch on screen: the thread is the path from the root to it.</summary>
    public Guid? CurrentMessageId { get; set; }

    /// <summary>Null settings fall back to the <c>Nova:Chat</c> defaults at generation time.</summary>
    public string? Model { get; set; }

    public string? SystemPrompt { get; set; }

    public double? Temperature { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>Which documents answers are grounded in; with <see cref="DocumentScopeKind.Collections"/>, those in <see cref="Collections"/>.</summary>
    public DocumentScopeKind DocumentScope { get; set; }

    public List<ConversationCollection> Collections { get; set; } = [];

    public List<ChatMessage> Messages { get; set; } = [];
}

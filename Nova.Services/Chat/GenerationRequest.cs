using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Nova.Services.Chat;

/// <summary>
/// Everything a generation needs, fixed when the turn is stored. <c>TitleSource</c> is the chat's first
/// question while the chat has no name from the model or the user; the model names it after answering.
/// </summary>
internal sealed record GenerationRequest(
    Guid MessageId,
    Guid ConversationId,
    string OwnerId,
    string? ModelId,
    IReadOnlyList<AiMessage> Prompt,
    float Temperature,
    int MaxTokens,
    string? TitleSource);

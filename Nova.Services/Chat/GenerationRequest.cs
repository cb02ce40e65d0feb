using Nova.Services.Chat.Grounding;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Nova.Services.Chat;

/// <summary>
/// Everything a generation needs, fixed when the turn is stored. <c>Prompt</c> is not grounded yet: the
/// generation searches <c>Documents</c> (with the owner's roles at that moment) before calling the model.
/// <c>TitleSource</c> is the chat's first question while the chat has no name from the model or the user;
/// the model names it after answering.
/// </summary>
internal sealed record GenerationRequest(
    Guid MessageId,
    Guid ConversationId,
    string OwnerId,
    string? ModelId,
    IReadOnlyList<AiMessage> Prompt,
    DocumentScope Documents,
    float Temperature,
    int MaxTokens,
    string? TitleSource);

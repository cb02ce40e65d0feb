using Microsoft.Extensions.AI;
using Nova.Services.Chat.Data;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Services.Chat;

/// <summary>
/// What the model is sent for a question: the system prompt, as much of the thread as fits, the question;
/// the generation adds the sources (<see cref="Grounding.ChatGrounding"/>).
/// </summary>
internal static class PromptBuilder
{
    public static GenerationRequest Build(
        NovaChatOptions options, Conversation conversation, IReadOnlyList<ChatMessage> earlier, ChatMessage question, Guid answerId)
    {
        List<AiMessage> prompt = [];
        if ((conversation.SystemPrompt ?? options.DefaultSystemPrompt) is { Length: > 0 } system)
        {
            prompt.Add(new AiMessage(ChatRole.System, system));
        }
        prompt.AddRange(History(earlier, options.MaxHistoryChars - question.Content.Length));
        prompt.Add(new AiMessage(ChatRole.User, question.Content));

        var firstQuestion = earlier.FirstOrDefault(m => m.Role == MessageRole.User) ?? question;
        return new GenerationRequest(
            answerId,
            conversation.Id,
            conversation.OwnerId,
            conversation.Model ?? options.DefaultModel,
            prompt,
            ChatMapping.ToScope(conversation),
            (float)(conversation.Temperature ?? options.DefaultTemperature),
            Math.Min(conversation.MaxTokens ?? options.DefaultMaxTokens, options.MaxTokensLimit),
            conversation.HasCustomTitle ? null : firstQuestion.Content);
    }

    /// <summary>The newest messages that fit the budget, oldest first; empty answers (failed at once) are left out.</summary>
    private static List<AiMessage> History(IReadOnlyList<ChatMessage> earlier, int budget)
    {
        List<AiMessage> kept = [];
        for (var i = earlier.Count - 1; i >= 0; i--)
        {
            var message = earlier[i];
            if (message.Role == MessageRole.System || message.Content.Length == 0)
            {
                continue;
            }
            budget -= message.Content.Length;
            if (budget < 0)
            {
                break;
            }
            kept.Add(new AiMessage(message.Role == MessageRole.User ? ChatRole.User : ChatRole.Assistant, message.Content));
        }
        kept.Reverse();
        return kept;
    }
}

using System.Text.Json;
using Nova.App.Api.Errors;
using Nova.Services.Chat;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// A request that passed validation: what Nova sends and with which settings. <see cref="Messages"/> is the
/// conversation as the client sent it; <see cref="Store"/> is whether the client asked Nova to keep it.
/// </summary>
internal sealed record ValidCompletion(
    string Model, string? SystemPrompt, string Question, double? Temperature, int? MaxTokens, bool Stream, bool IncludeUsage, Guid? ConversationId)
{
    public IReadOnlyList<ValidMessage> Messages { get; init; } = [];

    public bool Store { get; init; }
}

/// <summary>One message of the request, with its role as sent (<c>system</c>, <c>user</c> or <c>assistant</c>).</summary>
internal sealed record ValidMessage(string Role, string Content);

/// <summary>Checks a Chat Completions request; a refusal is an OpenAI-style 400 naming the parameter.</summary>
internal static class ChatCompletionValidation
{
    public const int MaxMessages = 256;

    private static readonly string[] Roles = ["system", "user", "assistant"];

    public static IResult? Validate(ChatCompletionRequest request, NovaChatOptions options, out ValidCompletion valid)
    {
        valid = null!;
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return OpenAiErrors.InvalidParameter("model", "'model' is required.");
        }
        if (request.Messages is not { Count: > 0 } messages)
        {
            return OpenAiErrors.InvalidParameter("messages", "'messages' must hold at least one message.");
        }
        if (messages.Count > MaxMessages)
        {
            return OpenAiErrors.InvalidParameter("messages", $"'messages' may hold at most {MaxMessages} messages.");
        }
        var maxTotal = options.MaxHistoryChars + options.MaxSystemPromptChars + options.MaxInputChars;
        var total = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is null || !Roles.Contains(messages[i].Role))
            {
                return OpenAiErrors.InvalidParameter($"messages[{i}].role", "Each message's role must be 'system', 'user' or 'assistant'.");
            }
            if (messages[i].Content.ValueKind != JsonValueKind.String)
            {
                return OpenAiErrors.InvalidParameter($"messages[{i}].content", "Each message's content must be a string.");
            }
            total += messages[i].Content.GetString()!.Length;
            if (total > maxTotal)
            {
                return OpenAiErrors.InvalidParameter("messages", $"The messages may hold at most {maxTotal:N0} characters in all.");
            }
        }
        if (messages[^1].Role != "user")
        {
            return OpenAiErrors.InvalidParameter("messages", "The last message must be the user's.");
        }
        if (request.Temperature is { } t && !(t is >= 0 and <= 2))
        {
            return OpenAiErrors.InvalidParameter("temperature", "'temperature' must be between 0 and 2.");
        }
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        if (maxTokens is < 1)
        {
            return OpenAiErrors.InvalidParameter(request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", "The token limit must be at least 1.");
        }
        if (messages[^1].Content.GetString()!.Length > options.MaxInputChars)
        {
            return OpenAiErrors.InvalidParameter("messages", $"The last user message may be at most {options.MaxInputChars:N0} characters long.");
        }
        var system = string.Join("\n\n", messages.Where(m => m.Role == "system").Select(m => m.Content.GetString()));
        if (system.Length > options.MaxSystemPromptChars)
        {
            return OpenAiErrors.InvalidParameter("messages", $"The system messages may hold at most {options.MaxSystemPromptChars:N0} characters.");
        }
        valid = new ValidCompletion(
            request.Model.Trim(),
            system.Length == 0 ? null : system,
            messages[^1].Content.GetString()!,
            request.Temperature,
            maxTokens is { } max ? Math.Min(max, options.MaxTokensLimit) : null,
            request.Stream == true,
            request.StreamOptions?.IncludeUsage == true,
            request.ConversationId)
        {
            Messages = [.. messages.Select(m => new ValidMessage(m.Role!, m.Content.GetString()!))],
            Store = request.Store == true,
        };
        return null;
    }
}

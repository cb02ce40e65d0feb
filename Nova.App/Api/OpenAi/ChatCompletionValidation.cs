using System.Text.Json;
using Microsoft.Extensions.AI;
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

    public CompletionSampling Sampling { get; init; } = CompletionSampling.None;
}

/// <summary>The request's sampling and output parameters besides temperature and the token limit; null where not sent.</summary>
internal sealed record CompletionSampling(
    double? TopP, IReadOnlyList<string>? Stop, long? Seed, double? PresencePenalty, double? FrequencyPenalty,
    ChatResponseFormat? ResponseFormat, string? User)
{
    public static readonly CompletionSampling None = new(null, null, null, null, null, null, null);
}

/// <summary>One message of the request, with its role as sent (<c>system</c>, <c>user</c> or <c>assistant</c>).</summary>
internal sealed record ValidMessage(string Role, string Content);

/// <summary>Checks a Chat Completions request; a refusal is an OpenAI-style 400 naming the parameter.</summary>
internal static class ChatCompletionValidation
{
    public const int MaxMessages = 256;
    public const int MaxStopSequences = 4;
    public const int MaxUserLength = 256;

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
        if (ValidateSampling(request, out var sampling) is { } badSampling)
        {
            return badSampling;
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
            Sampling = sampling,
        };
        return null;
    }

    private static IResult? ValidateSampling(ChatCompletionRequest request, out CompletionSampling sampling)
    {
        sampling = CompletionSampling.None;
        if (request.N is { } n && n != 1)
        {
            return OpenAiErrors.InvalidParameter("n", "Nova writes one answer per request: 'n' must be 1.");
        }
        if (request.TopP is { } topP && !(topP is >= 0 and <= 1))
        {
            return OpenAiErrors.InvalidParameter("top_p", "'top_p' must be between 0 and 1.");
        }
        if (request.PresencePenalty is { } presence && !(presence is >= -2 and <= 2))
        {
            return OpenAiErrors.InvalidParameter("presence_penalty", "'presence_penalty' must be between -2 and 2.");
        }
        if (request.FrequencyPenalty is { } frequency && !(frequency is >= -2 and <= 2))
        {
            return OpenAiErrors.InvalidParameter("frequency_penalty", "'frequency_penalty' must be between -2 and 2.");
        }
        if (request.User is { Length: > MaxUserLength })
        {
            return OpenAiErrors.InvalidParameter("user", $"'user' may be at most {MaxUserLength} characters long.");
        }
        if (Stop(request.Stop ?? default, out var stop) is { } badStop)
        {
            return badStop;
        }
        if (Format(request.ResponseFormat, out var format) is { } badFormat)
        {
            return badFormat;
        }
        sampling = new CompletionSampling(request.TopP, stop, request.Seed, request.PresencePenalty, request.FrequencyPenalty, format, request.User);
        return null;
    }

    /// <summary><c>stop</c> is a string or an array of up to four strings, as OpenAI takes it.</summary>
    private static IResult? Stop(JsonElement value, out IReadOnlyList<string>? stop)
    {
        stop = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String when value.GetString() is { Length: > 0 } one:
                stop = [one];
                return null;
            case JsonValueKind.Array when value.GetArrayLength() <= MaxStopSequences
                && value.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0):
                stop = [.. value.EnumerateArray().Select(s => s.GetString()!)];
                return null;
            default:
                return OpenAiErrors.InvalidParameter("stop", $"'stop' must be a non-empty string or an array of up to {MaxStopSequences} of them.");
        }
    }

    private static IResult? Format(ChatCompletionResponseFormat? requested, out ChatResponseFormat? format)
    {
        format = null;
        switch (requested?.Type)
        {
            case null or "text":
                return null;
            case "json_object":
                format = ChatResponseFormat.Json;
                return null;
            case "json_schema" when requested.JsonSchema is { Schema.ValueKind: JsonValueKind.Object } schema:
                format = ChatResponseFormat.ForJsonSchema(schema.Schema, schema.Name, schema.Description);
                return null;
            case "json_schema":
                return OpenAiErrors.InvalidParameter("response_format.json_schema", "A 'json_schema' response format needs 'json_schema.schema', an object.");
            default:
                return OpenAiErrors.InvalidParameter("response_format.type", "'response_format.type' must be 'text', 'json_object' or 'json_schema'.");
        }
    }
}

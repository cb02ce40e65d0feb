using Microsoft.Extensions.Options;
using Nova.Services.Rag.Retrieval;

namespace Nova.Services.Chat;

/// <summary>Fails the start with a message naming the <c>Nova:Chat</c> key that is out of range.</summary>
internal sealed class NovaChatOptionsValidator : IValidateOptions<NovaChatOptions>
{
    public ValidateOptionsResult Validate(string? name, NovaChatOptions options)
    {
        List<string> failures = [];
        void Require(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"Setting '{NovaChatOptions.Section}:{key}' {rule}.");
            }
        }

        Require(options.DefaultTemperature is >= 0 and <= 2, nameof(options.DefaultTemperature), "must be between 0 and 2");
        Require(options.MaxTokensLimit >= 1, nameof(options.MaxTokensLimit), "must be at least 1");
        Require(options.DefaultMaxTokens >= 1 && options.DefaultMaxTokens <= options.MaxTokensLimit,
            nameof(options.DefaultMaxTokens), "must be between 1 and MaxTokensLimit");
        Require(options.MaxInputChars is >= 1 and <= NovaChatOptions.MaxInputCharsCeiling,
            nameof(options.MaxInputChars), $"must be between 1 and {NovaChatOptions.MaxInputCharsCeiling}");
        Require(options.MaxSystemPromptChars >= 0, nameof(options.MaxSystemPromptChars), "must not be negative");
        Require((options.DefaultSystemPrompt?.Length ?? 0) <= options.MaxSystemPromptChars,
            nameof(options.DefaultSystemPrompt), "must not be longer than MaxSystemPromptChars");
        Require(options.MaxHistoryChars >= 0, nameof(options.MaxHistoryChars), "must not be negative");
        Require(options.MaxConcurrentGenerationsPerUser >= 1, nameof(options.MaxConcurrentGenerationsPerUser), "must be at least 1");
        Require(options.FlushInterval > TimeSpan.Zero, nameof(options.FlushInterval), "must be positive");
        Require(options.RenderInterval > TimeSpan.Zero, nameof(options.RenderInterval), "must be positive");
        Require(options.Documents.TopK is >= 1 and <= RetrievalService.MaxTopK, "Documents:TopK", $"must be between 1 and {RetrievalService.MaxTopK}");
        Require(options.Documents.MinSimilarity is >= -1 and <= 1, "Documents:MinSimilarity", "must be between -1 and 1");
        Require((options.DefaultModel?.Length ?? 0) <= Data.Conversation.MaxModelLength, nameof(options.DefaultModel), "is too long");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

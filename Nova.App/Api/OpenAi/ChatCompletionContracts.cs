using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.App.Api.OpenAi;

/// <summary>The OpenAI wire names are snake_case; the records below keep C# names.</summary>
internal static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary>A Chat Completions request; <see cref="ConversationId"/> is Nova's extension to continue a stored chat.</summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatCompletionMessage>? Messages,
    bool? Stream,
    double? Temperature,
    int? MaxTokens,
    int? MaxCompletionTokens,
    ChatCompletionStreamOptions? StreamOptions,
    Guid? ConversationId);

/// <summary>Content is kept raw so that a non-string (content parts) gets a clear error rather than a parse failure.</summary>
public sealed record ChatCompletionMessage(string? Role, JsonElement Content);

public sealed record ChatCompletionStreamOptions(bool? IncludeUsage);

public sealed record ChatCompletionResponse(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, ChatCompletionUsage Usage);

public sealed record ChatCompletionChoice(int Index, ChatCompletionAnswer Message, string FinishReason);

public sealed record ChatCompletionAnswer(string Role, string Content);

public sealed record ChatCompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record ChatCompletionChunk(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionChunkChoice> Choices, ChatCompletionUsage? Usage);

public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason);

public sealed record ChatCompletionDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

public sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

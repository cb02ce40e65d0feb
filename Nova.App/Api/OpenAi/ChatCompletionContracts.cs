using System.Text.Json;
using System.Text.Json.Serialization;
using Nova.App.Api.Errors;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// The OpenAI wire names are snake_case; the records below keep C# names. Their serializers are generated at
/// build time (<see cref="OpenAiJsonContext"/>), so a streamed token costs no reflection.
/// </summary>
internal static class OpenAiJson
{
    public static JsonSerializerOptions Options => OpenAiJsonContext.Default.Options;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatRagRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelEntry))]
[JsonSerializable(typeof(EmbeddingRequest))]
[JsonSerializable(typeof(EmbeddingList<float[]>))]
[JsonSerializable(typeof(EmbeddingList<string>))]
[JsonSerializable(typeof(OpenAiErrorBody))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;

/// <summary>
/// A Chat Completions request; <see cref="ConversationId"/> is Nova's extension to continue a stored chat.
/// <see cref="Store"/> asks Nova to keep the completion as one of the caller's chats.
/// </summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatCompletionMessage>? Messages,
    bool? Stream,
    double? Temperature,
    int? MaxTokens,
    int? MaxCompletionTokens,
    ChatCompletionStreamOptions? StreamOptions,
    Guid? ConversationId,
    bool? Store = null,
    double? TopP = null,
    JsonElement? Stop = null,
    long? Seed = null,
    double? PresencePenalty = null,
    double? FrequencyPenalty = null,
    ChatCompletionResponseFormat? ResponseFormat = null,
    string? User = null,
    int? N = null);

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c> (JSON mode) or <c>json_schema</c> with its schema.</summary>
public sealed record ChatCompletionResponseFormat(string? Type, ChatCompletionJsonSchema? JsonSchema);

public sealed record ChatCompletionJsonSchema(string? Name, string? Description, JsonElement Schema, bool? Strict);

/// <summary>Content is kept raw so that a non-string (content parts) gets a clear error rather than a parse failure.</summary>
public sealed record ChatCompletionMessage(string? Role, JsonElement Content);

/// <summary>What /chat/rag reads besides the Chat Completions fields: the collections to search, all readable ones when absent.</summary>
public sealed record ChatRagRequest(IReadOnlyList<Guid>? CollectionIds);

/// <summary>
/// A passage the answer was grounded in, numbered [1], [2], … as the model saw it, best first. <see cref="Page"/>
/// is set for PDFs, <see cref="Section"/> (the headings above the passage, joined with " > ") where the document has
/// headings; <see cref="Text"/> is the passage as stored with the answer (an excerpt of about 300 characters, cut at a word); <see cref="Score"/> its cosine similarity
/// to the question, null when it was found by keywords alone.
/// </summary>
public sealed record RagSource(int Number, Guid DocumentId, string FileName, int? Page, string? Section, string Text, float? Score);

public sealed record ChatCompletionStreamOptions(bool? IncludeUsage);

/// <summary>A whole completion; <see cref="Sources"/> is Nova's extension, written by /chat/rag only.</summary>
public sealed record ChatCompletionResponse(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, ChatCompletionUsage Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RagSource>? Sources = null);

public sealed record ChatCompletionChoice(int Index, ChatCompletionAnswer Message, string FinishReason);

public sealed record ChatCompletionAnswer(string Role, string Content);

public sealed record ChatCompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>A streamed chunk; <see cref="Sources"/> is Nova's extension, on the first chunk of a /chat/rag stream only.</summary>
public sealed record ChatCompletionChunk(
    string Id, string Object, long Created, string Model, IReadOnlyList<ChatCompletionChunkChoice> Choices, ChatCompletionUsage? Usage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RagSource>? Sources = null);

public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason);

public sealed record ChatCompletionDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

public sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

/// <summary>An Embeddings request: <see cref="Input"/> is a string or an array of strings.</summary>
public sealed record EmbeddingRequest(string? Model, JsonElement? Input, string? EncodingFormat);

/// <summary>Embeddings in OpenAI's format; <typeparamref name="T"/> is a float array, or a base64 string of float32s.</summary>
public sealed record EmbeddingList<T>(string Object, IReadOnlyList<EmbeddingData<T>> Data, string Model, EmbeddingUsage Usage);

public sealed record EmbeddingData<T>(string Object, int Index, T Embedding);

public sealed record EmbeddingUsage(int PromptTokens, int TotalTokens);

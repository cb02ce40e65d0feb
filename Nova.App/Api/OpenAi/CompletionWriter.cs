using System.Buffers;
using System.Text.Json;
using Nova.App.Api.Errors;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// Writes one answer as an OpenAI chat completion: whole, or as server-sent chunks of new text, one per piece
/// the model sent, each as soon as it arrives. With <paramref name="withSources"/> (/chat/rag) the completion,
/// or the stream's first chunk, also carries the sources. Chunks are serialized straight into the response's
/// pipe with generated serializers, so a token costs no reflection and no intermediate string.
/// </summary>
internal sealed class CompletionWriter(HttpContext context, ValidCompletion completion, Guid messageId, long created, int maxTokens, bool withSources)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly string _id = $"chatcmpl-{messageId:N}";
    private Utf8JsonWriter? _json;

    public async Task WriteWholeAsync(GenerationWatch watch)
    {
        while (!(await watch.NextAsync(context.RequestAborted)).Ended)
        {
        }
        var final = watch.Current;
        if (Failure(final) is { } failure)
        {
            await WriteFailureAsync(failure);
            return;
        }
        await WriteWholeAsync(Model(final), final.Text, FinishReason(final), Usage(final), withSources ? RagScope.Sources(final) : null);
    }

    /// <summary>A whole answer, as a <c>chat.completion</c> object.</summary>
    public Task WriteWholeAsync(string model, string text, string finishReason, ChatCompletionUsage usage, IReadOnlyList<RagSource>? sources = null)
    {
        var response = new ChatCompletionResponse(_id, "chat.completion", created, model,
            [new ChatCompletionChoice(0, new ChatCompletionAnswer("assistant", text), finishReason)], usage, sources);
        return context.Response.WriteAsJsonAsync(response, OpenAiJsonContext.Default.ChatCompletionResponse, cancellationToken: context.RequestAborted);
    }

    /// <summary>A failed answer before anything was sent: 502 with the reason.</summary>
    public Task WriteFailureAsync(string failure) =>
        OpenAiErrors.Result(StatusCodes.Status502BadGateway, failure, OpenAiErrors.Server, null, "generation_failed").ExecuteAsync(context);

    public async Task StreamAsync(GenerationWatch watch)
    {
        // A grounded stream opens once its sources are known: they are set before the model is asked, so by its first text.
        var opened = !withSources;
        if (opened)
        {
            await OpenStreamAsync(null);
        }
        string? model = null;
        while (true)
        {
            var (text, ended) = await watch.NextAsync(context.RequestAborted);
            if (!opened && (text.Length > 0 || ended || watch.Current.Sources.Count > 0))
            {
                await OpenStreamAsync(RagScope.Sources(watch.Current));
                opened = true;
            }
            if (text.Length > 0)
            {
                // The model is known before the first token and stays the same.
                model ??= Model(watch.Current);
                await WriteTextAsync(model, text);
            }
            if (ended)
            {
                break;
            }
        }
        var last = watch.Current;
        if (Failure(last) is { } failure)
        {
            await FailStreamAsync(failure);
        }
        else
        {
            await EndStreamAsync(Model(last), FinishReason(last), Usage(last));
        }
    }

    /// <summary>Starts the event stream with the chunk that names the assistant as the speaker, and the sources when given.</summary>
    public Task OpenStreamAsync(IReadOnlyList<RagSource>? sources)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return WriteEventAsync(Chunk(completion.Model, new ChatCompletionDelta("assistant", ""), null) with { Sources = sources });
    }

    /// <summary>Sends one piece of the answer's text at once.</summary>
    public Task WriteTextAsync(string model, string text) => WriteEventAsync(Chunk(model, new ChatCompletionDelta(null, text), null));

    /// <summary>Ends the stream: the finish reason, the usage when the client asked for it, then <c>[DONE]</c>.</summary>
    public async Task EndStreamAsync(string model, string finishReason, ChatCompletionUsage usage)
    {
        WriteEvent(Chunk(model, new ChatCompletionDelta(null, null), finishReason));
        if (completion.IncludeUsage)
        {
            WriteEvent(new ChatCompletionChunk(_id, "chat.completion.chunk", created, model, [], usage));
        }
        await WriteDoneAsync();
    }

    /// <summary>Ends the stream with an error event, then <c>[DONE]</c>.</summary>
    public async Task FailStreamAsync(string failure)
    {
        WriteEvent(OpenAiErrors.Body(failure, OpenAiErrors.Server, null, "generation_failed"));
        await WriteDoneAsync();
    }

    private async Task WriteDoneAsync()
    {
        context.Response.BodyWriter.Write(Done);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Why the answer cannot be returned as a completion, or null when it can (stopped answers keep their text).</summary>
    private static string? Failure(GenerationState state) => state.Status switch
    {
        MessageStatus.Completed or MessageStatus.Stopped => null,
        MessageStatus.Streaming => "The answer is being written by another Nova instance; it cannot be followed from here.",
        _ => state.Error ?? "The model failed to answer.",
    };

    /// <summary>The generation does not report why the model stopped: reaching the token limit is taken as 'length'.</summary>
    private string FinishReason(GenerationState state) =>
        state.Usage.CompletionTokens is { } tokens && tokens >= maxTokens ? "length" : "stop";

    private string Model(GenerationState state) => state.Usage.Model ?? completion.Model;

    private static ChatCompletionUsage Usage(GenerationState state)
    {
        var prompt = state.Usage.PromptTokens ?? 0;
        var completionTokens = state.Usage.CompletionTokens ?? 0;
        return new ChatCompletionUsage(prompt, completionTokens, prompt + completionTokens);
    }

    private ChatCompletionChunk Chunk(string model, ChatCompletionDelta delta, string? finishReason) =>
        new(_id, "chat.completion.chunk", created, model, [new ChatCompletionChunkChoice(0, delta, finishReason)], null);

    /// <summary>Writes one event and sends it at once.</summary>
    private async Task WriteEventAsync<T>(T payload)
    {
        WriteEvent(payload);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Writes one event into the response's buffer; the next flush sends it.</summary>
    private void WriteEvent<T>(T payload)
    {
        var body = context.Response.BodyWriter;
        body.Write(DataPrefix);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(body);
        }
        else
        {
            _json.Reset(body);
        }
        JsonSerializer.Serialize(_json, payload, OpenAiJson.Options);
        _json.Flush();
        body.Write(EventEnd);
    }
}

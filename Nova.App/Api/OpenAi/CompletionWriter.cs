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
            await OpenAiErrors.Result(StatusCodes.Status502BadGateway, failure, OpenAiErrors.Server, null, "generation_failed").ExecuteAsync(context);
            return;
        }
        var response = new ChatCompletionResponse(_id, "chat.completion", created, Model(final),
            [new ChatCompletionChoice(0, new ChatCompletionAnswer("assistant", final.Text), FinishReason(final))], Usage(final),
            withSources ? RagScope.Sources(final) : null);
        await context.Response.WriteAsJsonAsync(response, OpenAiJsonContext.Default.ChatCompletionResponse, cancellationToken: context.RequestAborted);
    }

    public async Task StreamAsync(GenerationWatch watch)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // A grounded stream opens once its sources are known: they are set before the model is asked, so by its first text.
        var opened = !withSources;
        if (opened)
        {
            await WriteOpeningAsync(null);
        }
        string? model = null;
        while (true)
        {
            var (text, ended) = await watch.NextAsync(context.RequestAborted);
            if (!opened && (text.Length > 0 || ended || watch.Current.Sources.Count > 0))
            {
                await WriteOpeningAsync(watch.Current);
                opened = true;
            }
            if (text.Length > 0)
            {
                // The model is known before the first token and stays the same.
                model ??= Model(watch.Current);
                await WriteEventAsync(Chunk(model, new ChatCompletionDelta(null, text), null));
            }
            if (ended)
            {
                break;
            }
        }
        var last = watch.Current;
        if (Failure(last) is { } failure)
        {
            WriteEvent(OpenAiErrors.Body(failure, OpenAiErrors.Server, null, "generation_failed"));
        }
        else
        {
            WriteEvent(Chunk(Model(last), new ChatCompletionDelta(null, null), FinishReason(last)));
            if (completion.IncludeUsage)
            {
                WriteEvent(new ChatCompletionChunk(_id, "chat.completion.chunk", created, Model(last), [], Usage(last)));
            }
        }
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

    /// <summary>The chunk that names the assistant as the speaker, with the sources of <paramref name="grounded"/> when given.</summary>
    private Task WriteOpeningAsync(GenerationState? grounded) =>
        WriteEventAsync(Chunk(completion.Model, new ChatCompletionDelta("assistant", ""), null) with
        {
            Sources = grounded is null ? null : RagScope.Sources(grounded),
        });

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

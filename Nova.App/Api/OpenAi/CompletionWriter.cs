using System.Text.Json;
using Nova.App.Api.Errors;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// Writes one answer as an OpenAI chat completion: whole, or as server-sent chunks of new text. With
/// <paramref name="withSources"/> (/chat/rag) the completion, or the stream's first chunk, also carries the sources.
/// </summary>
internal sealed class CompletionWriter(HttpContext context, ValidCompletion completion, Guid messageId, long created, int maxTokens, bool withSources)
{
    private readonly string _id = $"chatcmpl-{messageId:N}";

    public async Task WriteWholeAsync(IAsyncEnumerable<GenerationState> states)
    {
        var final = await LastAsync(states);
        if (Failure(final) is { } failure)
        {
            await OpenAiErrors.Result(StatusCodes.Status502BadGateway, failure, OpenAiErrors.Server, null, "generation_failed").ExecuteAsync(context);
            return;
        }
        var response = new ChatCompletionResponse(_id, "chat.completion", created, Model(final),
            [new ChatCompletionChoice(0, new ChatCompletionAnswer("assistant", final.Text), FinishReason(final))], Usage(final),
            withSources ? RagScope.Sources(final) : null);
        await context.Response.WriteAsJsonAsync(response, OpenAiJson.Options, context.RequestAborted);
    }

    public async Task StreamAsync(IAsyncEnumerable<GenerationState> states)
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
        var sent = 0;
        GenerationState? last = null;
        await foreach (var state in states)
        {
            last = state;
            if (!opened && (state.Sources.Count > 0 || state.Text.Length > 0 || state.IsFinal))
            {
                await WriteOpeningAsync(state);
                opened = true;
            }
            if (state.Text.Length > sent)
            {
                await WriteChunkAsync(Chunk(Model(state), new ChatCompletionDelta(null, state.Text[sent..]), null));
                sent = state.Text.Length;
            }
        }
        if (!opened)
        {
            await WriteOpeningAsync(last!);
        }
        if (Failure(last!) is { } failure)
        {
            await WriteEventAsync(OpenAiErrors.Body(failure, OpenAiErrors.Server, null, "generation_failed"));
        }
        else
        {
            await WriteChunkAsync(Chunk(Model(last!), new ChatCompletionDelta(null, null), FinishReason(last!)));
            if (completion.IncludeUsage)
            {
                await WriteChunkAsync(new ChatCompletionChunk(_id, "chat.completion.chunk", created, Model(last!), [], Usage(last!)));
            }
        }
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task<GenerationState> LastAsync(IAsyncEnumerable<GenerationState> states)
    {
        GenerationState? last = null;
        await foreach (var state in states)
        {
            last = state;
        }
        return last!;
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
        WriteChunkAsync(Chunk(completion.Model, new ChatCompletionDelta("assistant", ""), null) with
        {
            Sources = grounded is null ? null : RagScope.Sources(grounded),
        });

    private Task WriteChunkAsync(ChatCompletionChunk chunk) => WriteEventAsync(chunk);

    private async Task WriteEventAsync<T>(T payload)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload, OpenAiJson.Options)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Nova.Fakes;

/// <summary>
/// An OpenAI-compatible server as vLLM, TGI or llama.cpp serve it: <c>GET /v1/models</c> and
/// <c>POST /v1/chat/completions</c>, streamed as SSE (one token per event, usage in a last chunk
/// when <c>stream_options.include_usage</c>, then <c>data: [DONE]</c>) or whole.
/// </summary>
public sealed class FakeOpenAiServer : FakeLlmServer
{
    public override Uri BaseUrl => new(RootUrl, "v1");

    protected override string StreamContentType => "text/event-stream";

    protected override string MalformedFrame => "data: {\"id\":\"chatcmpl-fake\",\"choices\":[{\"delta\":{\"content\":\n\n";

    protected override void Map(WebApplication app)
    {
        app.MapGet("/v1/models", async context =>
        {
            await BeginModelListAsync(context.RequestAborted);
            if (ModelListStatus is { } status)
            {
                await WriteErrorAsync(context, status, "Scripted model list failure.");
                return;
            }
            var data = new JsonArray([.. Models.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["object"] = "model",
                ["created"] = UnixTime(),
                ["owned_by"] = "fake",
            })]);
            await context.Response.WriteAsJsonAsync(new JsonObject { ["object"] = "list", ["data"] = data });
        });
        app.MapPost("/v1/chat/completions", context => HandleChatAsync(context, streamByDefault: false));
    }

    protected override string TokenFrame(FakeChatRequest request, string token, bool first)
    {
        var delta = new JsonObject { ["content"] = token };
        if (first)
        {
            delta["role"] = "assistant";
        }
        return Event(Chunk(request, new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }));
    }

    protected override string EndFrames(FakeChatRequest request, Usage usage)
    {
        var frames = Event(Chunk(request, new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" }));
        if (IncludeUsage(request) && ReportsUsage)
        {
            var last = Chunk(request);
            last["usage"] = UsageJson(usage);
            frames += Event(last);
        }
        return frames + "data: [DONE]\n\n";
    }

    protected override Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        var type = status == StatusCodes.Status429TooManyRequests ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
        return context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = status },
        });
    }

    protected override Task WriteCompleteAnswerAsync(HttpContext context, FakeChatRequest request, string answer, Usage usage)
    {
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = UnixTime(),
            ["model"] = request.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
        };
        if (ReportsUsage)
        {
            completion["usage"] = UsageJson(usage);
        }
        return context.Response.WriteAsJsonAsync(completion);
    }

    private JsonObject Chunk(FakeChatRequest request, params JsonNode[] choices) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion.chunk",
        ["created"] = UnixTime(),
        ["model"] = request.Model,
        ["choices"] = new JsonArray(choices),
    };

    private static JsonObject UsageJson(Usage usage) => new()
    {
        ["prompt_tokens"] = usage.PromptTokens,
        ["completion_tokens"] = usage.CompletionTokens,
        ["total_tokens"] = usage.PromptTokens + usage.CompletionTokens,
    };

    private static bool IncludeUsage(FakeChatRequest request) =>
        request.Body.TryGetProperty("stream_options", out var options)
        && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("include_usage", out var include)
        && include.ValueKind == JsonValueKind.True;

    private static string Event(JsonNode chunk) => $"data: {chunk.ToJsonString()}\n\n";
}

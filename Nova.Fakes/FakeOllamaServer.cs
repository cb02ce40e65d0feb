using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Nova.Fakes;

/// <summary>
/// An Ollama server: <c>GET /api/tags</c> and <c>POST /api/chat</c>, streamed as NDJSON (the
/// default, as in Ollama) with a final <c>done:true</c> object carrying <c>prompt_eval_count</c>
/// and <c>eval_count</c>, or whole when <c>stream:false</c>.
/// </summary>
public sealed class FakeOllamaServer : FakeLlmServer
{
    public override Uri BaseUrl => RootUrl;

    protected override string StreamContentType => "application/x-ndjson";

    protected override string MalformedFrame => "{\"model\":\"fake\",\"message\":{\"role\":\"assistant\",\"content\":\n";

    protected override void Map(WebApplication app)
    {
        app.MapGet("/api/tags", async context =>
        {
            await BeginModelListAsync(context.RequestAborted);
            if (ModelListStatus is { } status)
            {
                await WriteErrorAsync(context, status, "Scripted model list failure.");
                return;
            }
            var models = new JsonArray([.. Models.Select(name => (JsonNode)new JsonObject
            {
                ["name"] = name,
                ["model"] = name,
                ["modified_at"] = Timestamp(),
                ["size"] = 1_000_000,
                ["digest"] = "sha256:fake",
                ["details"] = new JsonObject { ["format"] = "gguf", ["family"] = "fake", ["parameter_size"] = "1B", ["quantization_level"] = "Q4_0" },
            })]);
            await context.Response.WriteAsJsonAsync(new JsonObject { ["models"] = models });
        });
        app.MapPost("/api/chat", context => HandleChatAsync(context, streamByDefault: true));
    }

    protected override string TokenFrame(FakeChatRequest request, string token, bool first) =>
        Line(new JsonObject
        {
            ["model"] = request.Model,
            ["created_at"] = Timestamp(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = token },
            ["done"] = false,
        });

    protected override string EndFrames(FakeChatRequest request, Usage usage) => Line(Final(request, "", usage));

    protected override Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = message });
    }

    protected override Task WriteCompleteAnswerAsync(HttpContext context, FakeChatRequest request, string answer, Usage usage) =>
        context.Response.WriteAsJsonAsync(Final(request, answer, usage));

    private JsonObject Final(FakeChatRequest request, string content, Usage usage)
    {
        var final = new JsonObject
        {
            ["model"] = request.Model,
            ["created_at"] = Timestamp(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 1_000_000,
            ["load_duration"] = 1_000,
        };
        if (ReportsUsage)
        {
            final["prompt_eval_count"] = usage.PromptTokens;
            final["prompt_eval_duration"] = 1_000;
            final["eval_count"] = usage.CompletionTokens;
            final["eval_duration"] = 1_000;
        }
        return final;
    }

    private static string Line(JsonNode value) => value.ToJsonString() + "\n";
}

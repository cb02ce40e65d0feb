using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.App.Api.OpenAi;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Llm;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// Usage is never zero for an answer with text: the backend's counts when it gives them (OpenAI-compatible servers
/// asked with <c>stream_options.include_usage</c>, Ollama's own), else Nova's count, marked estimated where stored.
/// </summary>
public sealed class CompletionUsageTests : IAsyncLifetime
{
    private const string Answer = "Paris, as before.";
    private const string Question = "Capital of France?";

    private readonly FakeOpenAiServer _openAi = new() { Answer = Answer, TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000 };
    private readonly FakeOllamaServer _ollama = new() { Answer = Answer, TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000, Models = ["ollama-model"] };
    private RestApiApp _app = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _openAi.StartAsync();
        await _ollama.StartAsync();
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "openai"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _openAi.BaseUrl.ToString()),
            ("Nova:Llm:Endpoints:1:Name", "ollama"),
            ("Nova:Llm:Endpoints:1:Kind", "Ollama"),
            ("Nova:Llm:Endpoints:1:BaseUrl", _ollama.BaseUrl.ToString()),
            ("Nova:Chat:GenerateTitles", "false"));
        await _app.RegisterAsync("user@example.com");
        _key = (await _app.CreateKeyAsync(await _app.TokenAsync("user@example.com"), "sdk")).Key;
        var catalog = _app.Services.GetRequiredService<ModelCatalog>();
        await catalog.RefreshAsync();
        Assert.Equal(2, catalog.ListModels().Count(m => m.IsAvailable));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _openAi.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Theory]
    [InlineData("fake-model")]
    [InlineData("ollama-model")]
    public async Task TheBackendsCountsAreTheUsageStreamedAndWhole(string model)
    {
        var streamed = await StreamedUsageAsync(model);
        var whole = await WholeUsageAsync(model);

        // The fakes count a token per word: three in the answer, three in the question.
        Assert.Equal((3, 3, 6), streamed);
        Assert.Equal((3, 3, 6), whole);
        if (model == "fake-model")
        {
            Assert.All(_openAi.ChatRequests, request =>
                Assert.True(request.Body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean()));
        }
    }

    [Theory]
    [InlineData("fake-model")]
    [InlineData("ollama-model")]
    public async Task WithoutCountsFromTheBackendNovaCountsTheTokens(string model)
    {
        (_openAi.ReportsUsage, _ollama.ReportsUsage) = (false, false);

        foreach (var (prompt, completion, total) in new[] { await StreamedUsageAsync(model), await WholeUsageAsync(model) })
        {
            Assert.True(prompt > 0, $"prompt_tokens {prompt}");
            Assert.True(completion > 0, $"completion_tokens {completion}");
            Assert.Equal(prompt + completion, total);
        }
    }

    [Fact]
    public async Task AKeptAnswersCountsAreMarkedEstimatedOnlyWhenNovaCountedThem()
    {
        var reported = await StoredAnswerAsync();
        _openAi.ReportsUsage = false;
        var counted = await StoredAnswerAsync();

        Assert.Equal((3, false), (reported.CompletionTokens, reported.UsageEstimated));
        Assert.True(counted.CompletionTokens > 0);
        Assert.True(counted.PromptTokens > 0);
        Assert.True(counted.UsageEstimated);
    }

    private async Task<ChatMessage> StoredAnswerAsync()
    {
        using var response = await PostAsync(new { model = "fake-model", store = true, messages = new[] { new { role = "user", content = Question } } });
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() > 0);
        var id = Guid.Parse(response.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single());
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>().CreateDbContextAsync();
        return await db.Set<ChatMessage>().SingleAsync(m => m.ConversationId == id && m.Role == Nova.Services.Chat.Data.MessageRole.Assistant);
    }

    private async Task<(int Prompt, int Completion, int Total)> StreamedUsageAsync(string model)
    {
        using var response = await PostAsync(new
        {
            model,
            stream = true,
            stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = Question } },
        });
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var last = JsonDocument.Parse(events[^2]["data: ".Length..]).RootElement;
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        return Read(last.GetProperty("usage"));
    }

    private async Task<(int Prompt, int Completion, int Total)> WholeUsageAsync(string model)
    {
        using var response = await PostAsync(new { model, messages = new[] { new { role = "user", content = Question } } });
        var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(Answer, completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        return Read(completion.GetProperty("usage"));
    }

    private static (int, int, int) Read(JsonElement usage) => (
        usage.GetProperty("prompt_tokens").GetInt32(),
        usage.GetProperty("completion_tokens").GetInt32(),
        usage.GetProperty("total_tokens").GetInt32());

    private async Task<HttpResponseMessage> PostAsync(object body)
    {
        using var client = _app.Client(_key);
        var response = await client.PostAsync("api/v1/chat/completions",
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}

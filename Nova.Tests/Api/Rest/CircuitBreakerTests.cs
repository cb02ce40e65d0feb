using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Llm;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// The circuit breaker in front of a model server opens for the server failing, not for Nova's own background calls
/// or for one request's content. Titles are on, as by default.
/// </summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private const string TitlePrompt = "You name conversations";

    private readonly FakeOpenAiServer _model = new() { Answer = "Fine.", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000 };
    private readonly SemaphoreSlim _titleRequests = new(0);
    private RestApiApp _app = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _model.ChatRequestReceived += request =>
        {
            if (IsTitle(request))
            {
                _titleRequests.Release();
            }
        };
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()),
            ("Nova:Llm:RetryDelay", "00:00:00.010"));
        await _app.RegisterAsync("user@example.com");
        _key = (await _app.CreateKeyAsync(await _app.TokenAsync("user@example.com"), "sdk")).Key;
        await _app.Services.GetRequiredService<ModelCatalog>().RefreshAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _model.DisposeAsync();
        _titleRequests.Dispose();
    }

    [Fact]
    public async Task TitlesTheServerRefusesNeverRefuseUsersRequests()
    {
        _model.FaultFor = request => IsTitle(request) ? FakeLlmFault.Status500 : FakeLlmFault.None;

        // Two kept chats whose naming fails: three attempts (two retries) for the first, and the second's first
        // attempts. By the time the fifth arrives, three failures and two answers are recorded: enough to open a
        // breaker (five calls, at least half failing), and the background calls' own breaker does open.
        var titles = 0;
        for (var chat = 0; chat < 2; chat++)
        {
            using var kept = await PostAsync("Keep this.", store: true);
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            for (; titles < (chat == 0 ? 3 : 5); titles++)
            {
                Assert.True(await _titleRequests.WaitAsync(TimeSpan.FromSeconds(10)), "A title request did not reach the server: its circuit was open.");
            }
        }

        for (var i = 0; i < 3; i++)
        {
            using var answered = await PostAsync("Still there?");
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
    }

    [Fact]
    public async Task RequestsWhoseContentTheServerRefusesDoNotOpenTheCircuit()
    {
        _model.FaultFor = request => request.LastUserMessage == "Far too long." ? FakeLlmFault.Status400 : FakeLlmFault.None;

        for (var i = 0; i < 6; i++)
        {
            using var refused = await PostAsync("Far too long.");
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.Contains("HTTP 400", await refused.Content.ReadAsStringAsync());
        }
        using var answered = await PostAsync("Short.");

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    private static bool IsTitle(FakeChatRequest request) => request.Messages.Count > 0 && request.Messages[0].Text.StartsWith(TitlePrompt);

    private async Task<HttpResponseMessage> PostAsync(string question, bool store = false)
    {
        using var client = _app.Client(_key);
        var body = JsonSerializer.Serialize(new { model = "fake-model", store, messages = new[] { new { role = "user", content = question } } });
        return await client.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Services.Llm;

namespace Nova.Tests.Api.Rest;

/// <summary>The OpenAI-compatible endpoint's limits and failures, as a client sees them.</summary>
public sealed partial class ChatCompletionFaultTests : IAsyncLifetime
{
    private readonly FakeOpenAiServer _model = new() { Answer = "Fine.", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000 };
    private RestApiApp _app = null!;
    private string _userId = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()),
            ("Nova:Chat:GenerateTitles", "false"),
            // Two answers back to back, then one a minute.
            ("Nova:RateLimits:ChatBurst", "2"),
            ("Nova:RateLimits:ChatRequestsPerMinute", "1"));
        _userId = await _app.RegisterAsync("user@example.com");
        _key = (await _app.CreateKeyAsync(await _app.TokenAsync("user@example.com"), "sdk")).Key;
        await _app.Services.GetRequiredService<ModelCatalog>().RefreshAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task TheChatPageAndTheApiShareOneAllowanceAndEachRequestCountsOnce()
    {
        // What the chat page does to start a chat.
        await _app.WithChatAsync(chat => chat.StartChatAsync(
            _userId, DocumentScope.All, new ConversationSettings(null, null, null, null), "From the page", Guid.NewGuid().ToString()));

        using var second = await PostAsync("From the API");
        using var third = await PostAsync("From the API again");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.InRange(int.Parse(third.Headers.GetValues("Retry-After").Single()), 1, 60);
        var error = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.StartsWith("You're sending messages too fast.", error.GetProperty("message").GetString());
        // The page's chat is stored; the API's stateless completions are not, but they drew on the allowance all the same.
        Assert.Single((await _app.WithChatAsync(chat => chat.ListAsync(_userId, new ConversationQuery()))).Items);
    }

    [Fact]
    public async Task AFailedAnswersErrorNamesAReferenceAndIsTheReasonStoredWithTheAnswer()
    {
        _model.Fault = FakeLlmFault.Status500;

        using var failed = await PostAsync("Fail.", store: true);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var message = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Matches(Reference(), message);
        Assert.DoesNotContain("Scripted server error", message);
        var chat = Assert.Single((await _app.WithChatAsync(chat => chat.ListAsync(_userId, new ConversationQuery()))).Items);
        var answer = (await _app.WithChatAsync(c => c.GetAsync(_userId, chat.Id))).Messages[^1];
        Assert.Equal(message, answer.Error);
    }

    private async Task<HttpResponseMessage> PostAsync(string question, bool store = false)
    {
        using var client = _app.Client(_key);
        var body = JsonSerializer.Serialize(new { model = "fake-model", store, messages = new[] { new { role = "user", content = question } } });
        return await client.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [GeneratedRegex(@"\(reference [0-9A-F]{8}\)$")]
    private static partial Regex Reference();
}

using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Data;
using Nova.Services.Llm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;
using Xunit.Abstractions;

namespace Nova.Tests.Api.Rest;

public sealed class ChatCompletionsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Answer = "Nova answers through the OpenAI wire format today.";

    private readonly FakeOpenAiServer _model = new() { Answer = Answer, TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 200 };
    private RestApiApp _app = null!;
    private string _userId = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _app = await RestApiApp.StartOnRealPortAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()),
            ("Nova:Chat:GenerateTitles", "false"));
        _userId = await _app.RegisterAsync("user@example.com");
        _key = await CreateKeyAsync();
        var catalog = _app.Services.GetRequiredService<ModelCatalog>();
        await catalog.RefreshAsync();
        Assert.Contains(catalog.ListModels(), m => m.Id == "fake-model" && m.IsAvailable);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task TheModelListShowsTheAvailableModelsInOpenAiFormat()
    {
        var models = new OpenAIModelClient(new ApiKeyCredential(_key), Options());

        var listed = (await models.GetModelsAsync()).Value;

        var model = Assert.Single(listed);
        Assert.Equal("fake-model", model.Id);
        Assert.Equal("nova", model.OwnedBy);
    }

    [Fact]
    public async Task AWholeCompletionReturnsTheAnswerWithUsageAndIsStoredAsTheUsersChat()
    {
        var completion = (await Chat().CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say something.")])).Value;

        Assert.Equal(Answer, completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        var stored = Assert.Single((await WithChatAsync(chat => chat.ListAsync(_userId, new ConversationQuery()))).Items);
        var view = await WithChatAsync(chat => chat.GetAsync(_userId, stored.Id));
        Assert.Equal("Be brief.", view.Settings.SystemPrompt);
        Assert.Equal(["Say something.", Answer], view.Messages.Select(m => m.Content));
        Assert.Equal("Be brief.", _model.ChatRequests.Single().Messages.First().Text);
    }

    [Fact]
    public async Task AStreamedCompletionSendsTheAnswerInPiecesThenUsage()
    {
        var pieces = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        var clock = Stopwatch.StartNew();
        TimeSpan? firstToken = null;

        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Stream please.")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                firstToken ??= clock.Elapsed;
                pieces.Append(part.Text);
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(Answer, pieces.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        output.WriteLine($"Time to first token through Nova: {firstToken!.Value.TotalMilliseconds:F0} ms (the fake waits {_model.TimeToFirstToken.TotalMilliseconds:F0} ms).");
    }

    [Fact]
    public async Task AnotherUsersConversationIdIsNotFound()
    {
        var otherUser = await _app.RegisterAsync("other@example.com");
        var otherId = (await WithChatAsync(chat => chat.CreateAsync(otherUser))).Id;

        using var response = await PostAsync(JsonSerializer.Serialize(new
        {
            model = "fake-model",
            messages = new[] { new { role = "user", content = "Hello?" } },
            conversation_id = otherId,
        }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("conversation_not_found", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_model.ChatRequests);
    }

    [Fact]
    public async Task TheCallersConversationIdContinuesThatChat()
    {
        using var first = await PostAsync("""{"model":"fake-model","messages":[{"role":"user","content":"First."}]}""");
        var conversationId = first.Headers.GetValues("X-Nova-Conversation-Id").Single();

        using var second = await PostAsync($$"""{"model":"fake-model","messages":[{"role":"user","content":"Second."}],"conversation_id":"{{conversationId}}"}""");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var view = await WithChatAsync(chat => chat.GetAsync(_userId, Guid.Parse(conversationId)));
        Assert.Equal(["First.", Answer, "Second.", Answer], view.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task AnUnknownModelIsAnOpenAiError()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat("no-such-model").CompleteChatAsync([new UserChatMessage("Hello?")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"model":"fake-model","messages":[]}""")]
    [InlineData("""{"model":"fake-model","messages":[{"role":"tool","content":"x"}]}""")]
    [InlineData("""{"model":"fake-model","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""")]
    [InlineData("""{"model":"fake-model","messages":[{"role":"user","content":"x"}],"temperature":3}""")]
    [InlineData("""{"model":"fake-model","messages":[{"role":"user","content":"x"}],"max_tokens":0}""")]
    public async Task ABadRequestIsA400InOpenAiFormat(string body)
    {
        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Empty((await WithChatAsync(chat => chat.ListAsync(_userId, new()))).Items);
    }

    [Fact]
    public async Task AFailedAnswerIsA502WholeAndAnErrorEventStreamed()
    {
        _model.Fault = FakeLlmFault.Status500;

        using var whole = await PostAsync("""{"model":"fake-model","messages":[{"role":"user","content":"Fail."}]}""");
        using var streamed = await PostAsync("""{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Fail."}]}""");

        Assert.Equal(HttpStatusCode.BadGateway, whole.StatusCode);
        var error = JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("generation_failed", error.GetProperty("code").GetString());
        Assert.Contains("HTTP 500", error.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Equal("generation_failed", JsonDocument.Parse(events[^2]["data: ".Length..]).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AClientThatGoesAwayMidStreamStopsTheUpstreamRequest()
    {
        _model.Answer = string.Join(' ', Enumerable.Repeat("slow", 200));
        _model.TokensPerSecond = 20;

        // Leaving the loop disposes the SDK's stream, which closes the connection to Nova.
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("Go slowly.")]))
        {
            if (update.ContentUpdate.Count > 0)
            {
                break;
            }
        }

        await _model.ClientCancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<T> WithChatAsync<T>(Func<ChatService, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ChatService>());
    }

    /// <summary>An API key made over the real port, as a client would (the in-memory client cannot reach Kestrel).</summary>
    private async Task<string> CreateKeyAsync()
    {
        using var client = new HttpClient { BaseAddress = _app.Address };
        using var token = await client.PostAsJsonAsync("api/v1/auth/token", new { email = "user@example.com", password = RestApiApp.Password });
        var jwt = JsonDocument.Parse(await token.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        using var key = await client.PostAsJsonAsync("api/v1/auth/keys", new { name = "sdk" });
        return JsonDocument.Parse(await key.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var client = new HttpClient { BaseAddress = _app.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        return await client.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private ChatClient Chat(string model = "fake-model") => new(model, new ApiKeyCredential(_key), Options());

    private OpenAIClientOptions Options() => new() { Endpoint = new Uri(_app.Address!, "api/v1/") };
}

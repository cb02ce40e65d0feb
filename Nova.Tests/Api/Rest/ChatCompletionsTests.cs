using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.App.Api.OpenAi;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Services.Llm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;
using Xunit.Abstractions;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// The OpenAI-compatible endpoints through the official OpenAI SDK, on each database provider (see the
/// nested classes). Each test gets its own Nova and fake model server, so faults and counts stay its own.
/// </summary>
public abstract class ChatCompletionsTests(DatabaseProvider provider, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Answer = "Nova answers through the OpenAI wire format today.";

    private readonly FakeOpenAiServer _model = new() { Answer = Answer, TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 200 };
    private RestApiApp _app = null!;
    private string _userId = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _app = await RestApiApp.StartOnRealPortAsync(provider,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()),
            ("Nova:Chat:GenerateTitles", "false"));
        _userId = await _app.RegisterAsync("user@example.com");
        _key = (await _app.CreateKeyAsync(await _app.TokenAsync("user@example.com"), "sdk")).Key;
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

        Assert.Equal(["fake-model", "all-MiniLM-L6-v2"], listed.Select(m => m.Id));
        Assert.All(listed, model => Assert.Equal("nova", model.OwnedBy));
    }

    [Fact]
    public async Task AWholeCompletionWithStoreReturnsTheAnswerWithUsageAndIsStoredAsTheUsersChat()
    {
        var completion = (await Chat().CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Say something.")], Stored())).Value;

        Assert.Equal(Answer, completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        var stored = Assert.Single((await _app.WithChatAsync(chat => chat.ListAsync(_userId, new ConversationQuery()))).Items);
        var view = await _app.WithChatAsync(chat => chat.GetAsync(_userId, stored.Id));
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
        var otherId = (await _app.WithChatAsync(chat => chat.CreateAsync(otherUser))).Id;

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
        using var first = await PostAsync("""{"model":"fake-model","store":true,"messages":[{"role":"user","content":"First."}]}""");
        var conversationId = first.Headers.GetValues("X-Nova-Conversation-Id").Single();

        using var second = await PostAsync($$"""{"model":"fake-model","messages":[{"role":"user","content":"Second."}],"conversation_id":"{{conversationId}}"}""");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var view = await _app.WithChatAsync(chat => chat.GetAsync(_userId, Guid.Parse(conversationId)));
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

    [Fact]
    public async Task ABadRequestIsA400InOpenAiFormat()
    {
        string[] bodies =
        [
            "{not json",
            """{"model":"fake-model","messages":[]}""",
            """{"model":"fake-model","messages":[{"role":"tool","content":"x"}]}""",
            """{"model":"fake-model","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""",
            """{"model":"fake-model","messages":[{"role":"user","content":"x"}],"temperature":3}""",
            """{"model":"fake-model","messages":[{"role":"user","content":"x"}],"max_tokens":0}""",
        ];

        foreach (var body in bodies)
        {
            using var response = await PostAsync(body);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body} answered {response.StatusCode}");
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }
        Assert.Empty((await _app.WithChatAsync(chat => chat.ListAsync(_userId, new()))).Items);
    }

    [Fact]
    public async Task AnAnswerThatFailsBeforeItStartsIsA502AndOneThatBreaksOffIsAnErrorEvent()
    {
        _model.Fault = FakeLlmFault.DisconnectAfterTokens;
        using var streamedBrokenOff = await PostAsync("""{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Fail."}]}""");
        _model.Fault = FakeLlmFault.Status500;
        using var whole = await PostAsync("""{"model":"fake-model","messages":[{"role":"user","content":"Fail."}]}""");
        using var streamedBeforeStart = await PostAsync("""{"model":"fake-model","stream":true,"messages":[{"role":"user","content":"Fail."}]}""");

        foreach (var failed in new[] { whole, streamedBeforeStart })
        {
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            var error = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("generation_failed", error.GetProperty("code").GetString());
        }
        // The second may find the server's circuit open after the first one's retries.
        Assert.Contains("HTTP 500", JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, streamedBrokenOff.StatusCode);
        var events = (await streamedBrokenOff.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
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

    [Fact]
    public async Task TheSdksRetryOfAFailedAnswerContinuesTheSameChat()
    {
        // The first answer breaks off mid-stream: Nova answers 502 and the SDK retries on its own.
        _model.FailNext(FakeLlmFault.DisconnectAfterTokens);

        var completion = (await Chat().CompleteChatAsync([new UserChatMessage("Try again if you must.")], Stored())).Value;

        Assert.Equal(Answer, completion.Content.Single().Text);
        Assert.Equal(2, _model.ChatRequests.Count);
        var chat = Assert.Single((await _app.WithChatAsync(c => c.ListAsync(_userId, new ConversationQuery()))).Items);
        var view = await _app.WithChatAsync(c => c.GetAsync(_userId, chat.Id));
        Assert.Equal(["Try again if you must.", Answer], view.Messages.Select(m => m.Content));
        Assert.Equal(2, view.Messages[1].Versions.Count);
    }

    [Fact]
    public async Task WhenEveryAttemptFailsTheUserStillHasOneChat()
    {
        _model.FailNext(FakeLlmFault.DisconnectAfterTokens, times: 10);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat().CompleteChatAsync([new UserChatMessage("Keep failing.")], Stored()));

        Assert.Equal(502, error.Status);
        // The SDK's default policy retried (3 times as of OpenAI 2.15): each attempt is a version of one answer.
        Assert.True(_model.ChatRequests.Count > 1, "The SDK did not retry.");
        var chat = Assert.Single((await _app.WithChatAsync(c => c.ListAsync(_userId, new ConversationQuery()))).Items);
        var answer = (await _app.WithChatAsync(c => c.GetAsync(_userId, chat.Id))).Messages.Last();
        Assert.Equal(_model.ChatRequests.Count, answer.Versions.Count);
        Assert.Equal(MessageStatus.Failed, answer.Status);
    }

    [Fact]
    public async Task AFailedAnswerInAnExistingChatIsRetriedInPlace()
    {
        using var first = await PostAsync("""{"model":"fake-model","store":true,"messages":[{"role":"user","content":"First."}]}""");
        var conversationId = first.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single();
        var body = $$"""{"model":"fake-model","messages":[{"role":"user","content":"Second."}],"conversation_id":"{{conversationId}}"}""";
        _model.FailNext(FakeLlmFault.DisconnectAfterTokens);

        using var failed = await PostAsync(body);
        using var retried = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var view = await _app.WithChatAsync(chat => chat.GetAsync(_userId, Guid.Parse(conversationId)));
        Assert.Equal(["First.", Answer, "Second.", Answer], view.Messages.Select(m => m.Content));
        Assert.Equal(2, view.Messages[3].Versions.Count);
    }

    [Fact]
    public async Task TheSameRequestAfterASuccessIsANewChat()
    {
        const string body = """{"model":"fake-model","store":true,"messages":[{"role":"user","content":"Tell me a joke."}],"temperature":1}""";

        using var first = await PostAsync(body);
        using var second = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(first.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single(),
            second.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single());
        Assert.Equal(2, (await _app.WithChatAsync(chat => chat.ListAsync(_userId, new()))).Items.Count);
        Assert.Equal(2, _model.ChatRequests.Count);
    }

    [Fact]
    public async Task AnIdempotencyKeyGivesTheFirstAnswerWithoutAskingTheModelAgain()
    {
        const string body = """{"model":"fake-model","messages":[{"role":"user","content":"Once only."}]}""";

        using var first = await PostAsync(body, idempotencyKey: "order-42");
        using var again = await PostAsync(body, idempotencyKey: "order-42");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single(),
            again.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single());
        var (one, two) = (JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement,
            JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal(one.GetProperty("id").GetString(), two.GetProperty("id").GetString());
        Assert.Equal(Answer, two.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Single(_model.ChatRequests);
        Assert.Single((await _app.WithChatAsync(chat => chat.ListAsync(_userId, new()))).Items);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? idempotencyKey = null)
    {
        using var client = _app.Client(_key);
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add(ChatCompletionsApi.IdempotencyHeader, idempotencyKey);
        }
        return await client.PostAsync("api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static ChatCompletionOptions Stored() => new() { StoredOutputEnabled = true };

    private ChatClient Chat(string model = "fake-model") => new(model, new ApiKeyCredential(_key), Options());

    private OpenAIClientOptions Options() => new() { Endpoint = new Uri(_app.Address!, "api/v1/") };

    public sealed class OnSqlite(ITestOutputHelper output) : ChatCompletionsTests(DatabaseProvider.Sqlite, output);

    public sealed class OnPostgres(ITestOutputHelper output) : ChatCompletionsTests(DatabaseProvider.Postgres, output);
}

using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.App.Api.OpenAi;
using Nova.Fakes;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Services.Llm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// The request is the conversation: what an OpenAI client sends reaches the model as given, and nothing is kept
/// unless the client asks. Chat titles are on, as by default, so a kept chat would be named by a second request.
/// </summary>
public sealed class StatelessCompletionTests : IAsyncLifetime
{
    private const string Answer = "Paris, as before.";

    private readonly FakeOpenAiServer _model = new() { Answer = Answer, TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000 };
    private RestApiApp _app = null!;
    private string _userId = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _app = await RestApiApp.StartOnRealPortAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()));
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
    public async Task TheRequestsMessagesReachTheModelAsGivenWithTheAssistantsTurns()
    {
        using var response = await PostAsync("""
            {"model":"fake-model","messages":[
              {"role":"system","content":"Answer in one word."},
              {"role":"user","content":"Capital of France?"},
              {"role":"assistant","content":"Paris."},
              {"role":"user","content":"And of Italy?"},
              {"role":"assistant","content":"Rome."},
              {"role":"user","content":"And France again?"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [("system", "Answer in one word."), ("user", "Capital of France?"), ("assistant", "Paris."),
             ("user", "And of Italy?"), ("assistant", "Rome."), ("user", "And France again?")],
            _model.ChatRequests.Single().Messages);
        Assert.False(response.Headers.Contains(ChatCompletionsApi.ConversationHeader));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task AThreeTurnConversationThroughTheSdkStreamsAndStoresNothing()
    {
        var chat = new ChatClient("fake-model", new ApiKeyCredential(_key), new OpenAIClientOptions { Endpoint = new Uri(_app.Address!, "api/v1/") });
        List<OpenAI.Chat.ChatMessage> history = [new SystemChatMessage("Be brief.")];
        foreach (var question in new[] { "First?", "Second?", "Third?" })
        {
            history.Add(new UserChatMessage(question));
            var answer = new StringBuilder();
            await foreach (var update in chat.CompleteChatStreamingAsync(history))
            {
                foreach (var part in update.ContentUpdate)
                {
                    answer.Append(part.Text);
                }
            }
            Assert.Equal(Answer, answer.ToString());
            history.Add(new AssistantChatMessage(answer.ToString()));
        }

        Assert.Equal(3, _model.ChatRequests.Count);
        Assert.Equal(
            [("system", "Be brief."), ("user", "First?"), ("assistant", Answer), ("user", "Second?"), ("assistant", Answer), ("user", "Third?")],
            _model.ChatRequests[^1].Messages);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task StoreKeepsTheChatWithTheMessagesTheClientSent()
    {
        using var response = await PostAsync("""
            {"model":"fake-model","store":true,"messages":[
              {"role":"system","content":"Answer in one word."},
              {"role":"user","content":"Capital of France?"},
              {"role":"assistant","content":"Paris."},
              {"role":"user","content":"Sure?"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Guid.Parse(response.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single());
        var view = await _app.WithChatAsync(chat => chat.GetAsync(_userId, id));
        Assert.Equal(["Capital of France?", "Paris.", "Sure?", Answer], view.Messages.Select(m => m.Content));
        Assert.Equal("Answer in one word.", view.Settings.SystemPrompt);
        Assert.Equal(
            [("system", "Answer in one word."), ("user", "Capital of France?"), ("assistant", "Paris."), ("user", "Sure?")],
            _model.ChatRequests[0].Messages);
    }

    [Fact]
    public async Task AClientWhoseBaseUrlEndsInV1WorksUnchanged()
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(_app.Address!, "v1") };

        var completion = (await new ChatClient("fake-model", new ApiKeyCredential(_key), options).CompleteChatAsync([new UserChatMessage("Hi?")])).Value;
        var model = (await new OpenAIModelClient(new ApiKeyCredential(_key), options).GetModelAsync("fake-model")).Value;
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => new OpenAIModelClient(new ApiKeyCredential(_key), options).GetModelAsync("no-such-model"));

        Assert.Equal(Answer, completion.Content.Single().Text);
        Assert.Equal(("fake-model", "nova"), (model.Id, model.OwnedBy));
        Assert.Equal(404, missing.Status);
        Assert.Contains("model_not_found", missing.Message);
    }

    [Fact]
    public async Task WithNoModelReachableTheAnswerIsA503WithRetryAfter()
    {
        await _model.StopAsync();
        await _app.Services.GetRequiredService<ModelCatalog>().RefreshAsync();

        using var response = await PostAsync("""{"model":"fake-model","messages":[{"role":"user","content":"Anyone?"}]}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("model_unavailable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmbeddingsAreMadeWithNovasEmbeddingModelInBase64AndAsFloats()
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(_app.Address!, "v1") };
        var client = new EmbeddingClient("all-MiniLM-L6-v2", new ApiKeyCredential(_key), options);

        // The SDK asks for base64 by default.
        var batch = (await client.GenerateEmbeddingsAsync(["The pump needs a service.", "Paris is in France."])).Value;
        using var floats = await PostAsync("""{"model":"all-MiniLM-L6-v2","input":"Paris is in France.","encoding_format":"float"}""", "api/v1/embeddings");
        using var unknown = await PostAsync("""{"model":"text-embedding-3-small","input":"x"}""", "api/v1/embeddings");

        Assert.Equal([0, 1], batch.Select(e => e.Index));
        Assert.All(batch, e => Assert.Equal(384, e.ToFloats().Length));
        Assert.True(batch.Usage.InputTokenCount > 0);
        var floatBody = JsonDocument.Parse(await floats.Content.ReadAsStringAsync()).RootElement;
        var vector = floatBody.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(batch[1].ToFloats().ToArray(), vector);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task AssertNothingStoredAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Set<Conversation>().CountAsync());
        Assert.Equal(0, await db.Set<Nova.Services.Chat.Data.ChatMessage>().CountAsync());
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string path = "api/v1/chat/completions")
    {
        using var client = _app.Client(_key);
        return await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    }
}

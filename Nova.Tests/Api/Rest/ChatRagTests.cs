using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using Nova.App.Api.OpenAi;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Data;
using Nova.Tests.Unit.Chat;
using OpenAI;
using OpenAI.Chat;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// /api/v1/chat/rag on a real port, on each database provider (see the nested classes): answers grounded in a PDF,
/// with their sources, whole and streamed. Each test gets its own Nova and fake model server.
/// </summary>
public abstract class ChatRagTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Question = GroundedApiApp.Question;
    private const string Answer = "Every 500 hours [1].";

    private GroundedApiApp _host = null!;
    private string _key = null!;
    private Guid _secret;
    private Guid _secretDocument;

    public async Task InitializeAsync()
    {
        _host = await GroundedApiApp.StartAsync(provider,
            new FakeOpenAiServer { Answer = Answer, TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokensPerSecond = 200 });
        _key = (await _host.App.CreateKeyAsync(await _host.App.TokenAsync("user@example.com"), "sdk")).Key;
        _secret = await _host.Library.CollectionAsync("Lab", "Engineering");
        _secretDocument = (await _host.Library.IngestAsync(
            TestFiles.Pdf([["Lab pump", "The lab pump needs a service every 50 operating hours."]]), "lab-pump.pdf", _secret)).Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AWholeAnswerCarriesItsSourcesInRankOrderAndTheModelReadThem()
    {
        using var response = await PostAsync(Body(stream: false, _host.Manuals));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal(Answer, completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var sources = completion.GetProperty("sources").EnumerateArray().ToList();
        Assert.NotEmpty(sources);
        Assert.Equal(Enumerable.Range(1, sources.Count), sources.Select(s => s.GetProperty("number").GetInt32()));
        var best = sources[0];
        Assert.Equal((_host.Manual, "pump-manual.pdf", 2), (best.GetProperty("document_id").GetGuid(), best.GetProperty("file_name").GetString(), best.GetProperty("page").GetInt32()));
        Assert.Contains("every 500 operating hours", best.GetProperty("text").GetString());
        Assert.True(best.GetProperty("score").GetSingle() > 0);
        Assert.All(sources, s => Assert.Equal(_host.Manual, s.GetProperty("document_id").GetGuid()));

        var prompt = Assert.Single(_host.Model.ChatRequests).LastUserMessage;
        Assert.StartsWith("<sources>\n<source id=\"1\" document=\"pump-manual.pdf\" page=\"2\">", prompt);
        Assert.Contains("every 500 operating hours", prompt);
        Assert.EndsWith($"Question:\n{Question}", prompt);

        var stored = await StoredAnswerAsync(response);
        Assert.Equal(Answer, stored.Content);
        Assert.Equal(stored.Sources.Select(s => (s.Number, s.DocumentId, s.Page)),
            sources.Select(s => (s.GetProperty("number").GetInt32(), s.GetProperty("document_id").GetGuid(), (int?)s.GetProperty("page").GetInt32())));
    }

    [Fact]
    public async Task ARepeatedRequestReturnsTheStoredAnswerWithItsStoredSources()
    {
        using var first = await PostAsync(Body(stream: false, _host.Manuals), idempotencyKey: "question-7");
        using var again = await PostAsync(Body(stream: true, _host.Manuals), idempotencyKey: "question-7");

        var sources = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("sources").GetRawText();
        var opening = (await again.Content.ReadAsStringAsync()).Split("\n\n")[0]["data: ".Length..];
        Assert.Equal(sources, JsonDocument.Parse(opening).RootElement.GetProperty("sources").GetRawText());
        Assert.Single(_host.Model.ChatRequests);
    }

    [Fact]
    public async Task AStreamOpensWithTheSourcesAndTheOpenAiSdkStillReadsTheText()
    {
        using var response = await PostAsync(Body(stream: true, _host.Manuals));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new Xunit.Sdk.XunitException($"Not an SSE data event: {e}"))
            .ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var first = chunks[0];
        Assert.Equal("assistant", first.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("", first.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        var source = first.GetProperty("sources")[0];
        Assert.Equal((1, _host.Manual, 2), (source.GetProperty("number").GetInt32(), source.GetProperty("document_id").GetGuid(), source.GetProperty("page").GetInt32()));
        Assert.All(chunks.Skip(1), c => Assert.False(c.TryGetProperty("sources", out _)));
        Assert.Equal(Answer, string.Concat(chunks.Skip(1).Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var text) ? text.GetString() : "")));

        var sdk = new ChatClient("fake-model", new ApiKeyCredential(_key), SdkOptions());
        var text = new StringBuilder();
        await foreach (var update in sdk.CompleteChatStreamingAsync([new UserChatMessage(Question)]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }
        Assert.Equal(Answer, text.ToString());
        Assert.All(_host.Model.ChatRequests, r => Assert.StartsWith("<sources>", r.LastUserMessage));
    }

    [Fact]
    public async Task ACollectionOfAnotherRoleIsNotFoundAndNothingIsAsked()
    {
        using var response = await PostAsync(Body(stream: false, _host.Manuals, _secret));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("collection_not_found", "collection_ids"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains(_secret.ToString(), error.GetProperty("message").GetString());
        Assert.Empty(_host.Model.ChatRequests);
        Assert.Empty((await _host.App.WithChatAsync(chat => chat.ListAsync(_host.UserId, new ConversationQuery()))).Items);
    }

    [Fact]
    public async Task WithoutCollectionsEveryReadableCollectionIsSearchedAndNoOther()
    {
        using var response = await PostAsync(Body(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sources = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sources").EnumerateArray().ToList();
        Assert.Contains(sources, s => s.GetProperty("document_id").GetGuid() == _host.Manual);
        Assert.DoesNotContain(sources, s => s.GetProperty("document_id").GetGuid() == _secretDocument);
        Assert.DoesNotContain("50 operating hours", Assert.Single(_host.Model.ChatRequests).LastUserMessage);
    }

    private static string Body(bool stream, params Guid[] collections)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = "fake-model",
            ["stream"] = stream,
            ["messages"] = new[] { new { role = "user", content = Question } },
        };
        if (collections.Length > 0)
        {
            body["collection_ids"] = collections;
        }
        return JsonSerializer.Serialize(body);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? idempotencyKey = null)
    {
        using var client = _host.App.Client(_key);
        if (idempotencyKey is not null)
        {
            client.DefaultRequestHeaders.Add(ChatCompletionsApi.IdempotencyHeader, idempotencyKey);
        }
        return await client.PostAsync("api/v1/chat/rag", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private async Task<MessageView> StoredAnswerAsync(HttpResponseMessage response)
    {
        var conversationId = Guid.Parse(response.Headers.GetValues(ChatCompletionsApi.ConversationHeader).Single());
        var view = await Eventually.Async(() => _host.App.WithChatAsync(chat => chat.GetAsync(_host.UserId, conversationId)),
            v => v.Messages[^1].Status != MessageStatus.Streaming);
        return view.Messages[^1];
    }

    /// <summary>The official SDK has no /chat/rag method; a client points its Chat Completions calls there, as a user would.</summary>
    private OpenAIClientOptions SdkOptions() => new()
    {
        Endpoint = new Uri(_host.App.Address!, "api/v1/"),
        Transport = new HttpClientPipelineTransport(new HttpClient(new ToRag { InnerHandler = new HttpClientHandler() })),
    };

    private sealed class ToRag : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(request.RequestUri!.ToString().Replace("/chat/completions", "/chat/rag", StringComparison.Ordinal));
            return base.SendAsync(request, cancellationToken);
        }
    }

    public sealed class OnSqlite() : ChatRagTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : ChatRagTests(DatabaseProvider.Postgres);
}

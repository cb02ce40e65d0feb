using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Tests.Api.Rest;
using Nova.Tests.Unit.Chat;

namespace Nova.Tests.Api.Chat;

/// <summary>
/// The whole app, wired as in production on each database provider (see the nested classes), grounding a chat
/// in a PDF and asking a fake OpenAI-compatible server.
/// </summary>
public abstract class GroundedAnswerTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Question = GroundedApiApp.Question;

    private GroundedApiApp _host = null!;

    public async Task InitializeAsync() =>
        _host = await GroundedApiApp.StartAsync(provider,
            new FakeOpenAiServer { Answer = "Every 500 hours [1].", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheModelServerReceivesTheSourcesAndTheAnswerKeepsThem()
    {
        var userId = _host.UserId;
        var conversation = await _host.App.WithChatAsync(chat => chat.CreateAsync(userId));

        var turn = await _host.App.WithChatAsync(chat => chat.SendAsync(userId, conversation.Id, Question, "k1"));
        var view = await Eventually.Async(() => _host.App.WithChatAsync(chat => chat.GetAsync(userId, conversation.Id)),
            v => v.Messages[^1].Status != MessageStatus.Streaming);

        var request = Assert.Single(_host.Model.ChatRequests);
        Assert.Equal("system", request.Messages[0].Role);
        Assert.Contains(SourcePrompt.Instructions, request.Messages[0].Text);
        Assert.StartsWith("<sources>\n<source id=\"1\" document=\"pump-manual.pdf\" page=\"2\">", request.LastUserMessage);
        Assert.Contains("every 500 operating hours", request.LastUserMessage);
        Assert.EndsWith($"Question:\n{Question}", request.LastUserMessage);
        var answer = view.Messages[^1];
        Assert.Equal((MessageStatus.Completed, "Every 500 hours [1]."), (answer.Status, answer.Content));
        Assert.Equal(("pump-manual.pdf", 2), (answer.Sources[0].DocumentName, answer.Sources[0].Page));
        await using var db = _host.App.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>().CreateDbContext();
        Assert.Equal(answer.Sources.Count, await db.Set<MessageSource>().CountAsync(s => s.MessageId == turn.AssistantMessageId));
    }

    [Fact]
    public async Task ChatCompletionsThroughTheApiAreNotGrounded()
    {
        using var client = _host.App.Client(await _host.App.TokenAsync("user@example.com"));

        var response = await client.PostAsJsonAsync("api/v1/chat/completions",
            new { model = "fake-model", store = true, messages = new[] { new { role = "user", content = Question } } });

        response.EnsureSuccessStatusCode();
        Assert.Equal(Question, Assert.Single(_host.Model.ChatRequests).LastUserMessage);
        var conversationId = Guid.Parse(response.Headers.GetValues("X-Nova-Conversation-Id").Single());
        var view = await _host.App.WithChatAsync(chat => chat.GetAsync(_host.UserId, conversationId));
        Assert.Equal(DocumentScopeKind.Off, view.Documents.Kind);
    }

    public sealed class OnSqlite() : GroundedAnswerTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : GroundedAnswerTests(DatabaseProvider.Postgres);
}

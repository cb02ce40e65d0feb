using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Services.Llm;
using Nova.Tests.Api.Rest;
using Nova.Tests.Unit.Chat;
using Nova.Tests.Unit.Chat.Grounding;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Api.Chat;

/// <summary>The whole app, wired as in production, grounding a chat in a PDF and asking a fake OpenAI-compatible server.</summary>
public sealed class GroundedAnswerTests : IAsyncLifetime
{
    private const string Question = "How often does the pump need a service?";

    private readonly FakeOpenAiServer _model = new() { Answer = "Every 500 hours [1].", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("nova-grounded-");
    private RestApiApp _app = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        await _model.StartAsync();
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "fake"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _model.BaseUrl.ToString()),
            ("Nova:Chat:GenerateTitles", "false"),
            ("Nova:Rag:StoragePath", _files.FullName));
        await _app.RegisterAsync("admin@example.com");
        _userId = await _app.RegisterAsync("user@example.com");
        await _app.Services.GetRequiredService<ModelCatalog>().RefreshAsync();
        var library = new DocumentLibrary(_app.Services);
        await library.IngestAsync(TestFiles.Pdf(GroundedChatTests.Manual), "pump-manual.pdf", await library.CollectionAsync("Manuals"));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _model.DisposeAsync();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task TheModelServerReceivesTheSourcesAndTheAnswerKeepsThem()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
        var conversation = await chat.CreateAsync(_userId);

        var turn = await chat.SendAsync(_userId, conversation.Id, Question, "k1");
        var view = await Eventually.Async(() => chat.GetAsync(_userId, conversation.Id), v => v.Messages[^1].Status != MessageStatus.Streaming);

        var request = Assert.Single(_model.ChatRequests);
        Assert.Equal("system", request.Messages[0].Role);
        Assert.Contains(SourcePrompt.Instructions, request.Messages[0].Text);
        Assert.StartsWith("<sources>\n<source id=\"1\" document=\"pump-manual.pdf\" page=\"2\">", request.LastUserMessage);
        Assert.Contains("every 500 operating hours", request.LastUserMessage);
        Assert.EndsWith($"Question:\n{Question}", request.LastUserMessage);
        var answer = view.Messages[^1];
        Assert.Equal((MessageStatus.Completed, "Every 500 hours [1]."), (answer.Status, answer.Content));
        Assert.Equal(("pump-manual.pdf", 2), (answer.Sources[0].DocumentName, answer.Sources[0].Page));
        await using var db = _app.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>().CreateDbContext();
        Assert.Equal(answer.Sources.Count, await db.Set<MessageSource>().CountAsync(s => s.MessageId == turn.AssistantMessageId));
    }

    [Fact]
    public async Task ChatCompletionsThroughTheApiAreNotGrounded()
    {
        using var client = _app.Client(await _app.TokenAsync("user@example.com"));

        var response = await client.PostAsJsonAsync("/api/v1/chat/completions",
            new { model = "fake-model", messages = new[] { new { role = "user", content = Question } } });

        response.EnsureSuccessStatusCode();
        Assert.Equal(Question, Assert.Single(_model.ChatRequests).LastUserMessage);
        var conversationId = Guid.Parse(response.Headers.GetValues("X-Nova-Conversation-Id").Single());
        await using var scope = _app.Services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<ChatService>().GetAsync(_userId, conversationId);
        Assert.Equal(DocumentScopeKind.Off, view.Documents.Kind);
    }
}

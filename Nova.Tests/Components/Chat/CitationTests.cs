using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Nova.App.Components.Chat;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Chat;
using Nova.Tests.Unit.Chat.Grounding;
using Nova.Tests.Unit.Markdown;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Chat;

/// <summary>An answer grounded in a real, ingested manual, rendered as the chat shows it.</summary>
public sealed class CitationTests : ChatComponentTest
{
    private const string Question = "How often does the pump need a service?";

    private string _alice = "";
    private Guid _manual;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _alice = await Chat.CreateUserAsync("alice");
        var library = await Chat.Library.CollectionAsync("Manuals");
        _manual = (await Chat.Library.IngestAsync(TestFiles.Pdf(GroundedChatTests.Manual), "pump-manual.pdf", library)).Id;
        Context.Services.AddSingleton(Chat.Services.GetRequiredService<SourceReader>());
    }

    [Fact]
    public async Task OnlyNumbersOfRealSourcesBecomeCitationsAndHostileOutputStaysInert()
    {
        var answer = await AnswerAsync(
            "Every 500 hours [1]. Not a source: [99] [0]. ",
            "A link [1](javascript:alert(1)) and <b onclick=\"alert(1)\">[1]</b> <img src=x onerror=alert(1)> ",
            "<button data-testid=\"citation\" data-source=\"7\">7</button> [1, 99] ",
            "and `[1]` in code.\n\n[1]: javascript:alert(2)");

        var message = Render(answer);

        var citations = message.FindAll("[data-testid=citation]");
        Assert.Equal(["1", "1"], citations.Select(c => c.GetAttribute("data-source")));
        Assert.All(citations, c => Assert.Equal("BUTTON", c.TagName));
        var markdown = message.Find(".nova-markdown");
        Assert.Contains("[99] [0]", markdown.TextContent);
        Assert.Contains("[1, 99]", markdown.TextContent);
        Assert.Empty(markdown.QuerySelectorAll("a[href^='javascript' i], img, b, [onclick], [onerror]"));
        Assert.DoesNotContain(markdown.QuerySelectorAll("[data-source]"), e => e.GetAttribute("data-source") != "1");
        Assert.Equal("[1]", markdown.QuerySelector("code")!.TextContent);
        SafeHtml.Assert(markdown.InnerHtml, answer.Content);
    }

    [Fact]
    public async Task TheSourcesAreListedUnderTheAnswerAndEachOpensItsPassage()
    {
        var answer = await AnswerAsync("Every 500 operating hours [1].");
        var dialogs = Context.Render<MudDialogProvider>();
        var message = Render(answer);

        var items = message.FindAll("[data-testid=source-item]");
        Assert.Equal(answer.Sources.Select(s => s.Number.ToString()), items.Select(i => i.GetAttribute("data-source")));
        Assert.Contains("pump-manual.pdf", items[0].TextContent);
        Assert.Contains("page 2", items[0].TextContent);
        Assert.Contains("500 operating hours", items[0].TextContent);

        await items[0].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        dialogs.WaitForAssertion(() => Assert.Equal("pump-manual.pdf · page 2", dialogs.Find("[data-testid=source-dialog-title]").TextContent));
        Assert.Contains("500 operating hours", dialogs.Find("[data-testid=source-passage-cited]").TextContent);
    }

    [Fact]
    public async Task ACitationOfARemovedDocumentShowsItsStoredSnippetAndSaysSo()
    {
        var answer = await AnswerAsync("Every 500 operating hours [1].");
        await Chat.Library.Documents.DeleteAsync(RagTestHost.Admin, _manual);
        answer = (await Chat.Chat.GetAsync(_alice, (await Chat.MessageAsync(answer.Id)).ConversationId)).Messages[^1];
        var dialogs = Context.Render<MudDialogProvider>();
        var message = Render(answer);

        Assert.Equal("Document removed", message.Find("[data-testid=source-removed]").TextContent);
        Assert.Single(message.FindAll("[data-testid=citation]"));
        await message.Find("[data-testid=source-item]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        dialogs.WaitForAssertion(() => Assert.Contains("removed", dialogs.Find("[data-testid=source-unavailable]").TextContent));
        Assert.Contains("500 operating hours", dialogs.Find(".nova-passage").TextContent);
    }

    [Fact]
    public async Task WhileTheDocumentsAreSearchedTheAnswerSaysSo()
    {
        Chat.Embeddings.Close();
        var conversation = await Chat.Chat.CreateAsync(_alice);
        var turn = await Chat.Chat.SendAsync(_alice, conversation.Id, Question, "k1");
        var streaming = (await Chat.Chat.GetAsync(_alice, conversation.Id)).Messages[^1];

        var message = Render(streaming);

        message.WaitForAssertion(() => Assert.Equal("true", message.Find("[data-testid=thinking]").GetAttribute("data-searching")));
        Assert.Contains("Searching documents", message.Find("[data-testid=thinking]").TextContent);
        Chat.Embeddings.Open();
        var call = await Chat.Model.NextCallAsync();
        message.WaitForAssertion(() => Assert.Equal("false", message.Find("[data-testid=thinking]").GetAttribute("data-searching")));
        Assert.NotEmpty(message.FindAll("[data-testid=source-item]"));
        call.Send("Every 500 hours [1].").Complete();
        message.WaitForAssertion(() => Assert.Empty(message.FindAll("[data-testid=thinking]")));
        Assert.Equal(turn.AssistantMessageId.ToString(), message.Find("[data-testid=message-assistant]").GetAttribute("data-message-id"));
    }

    [Fact]
    public async Task WhileTheAnswerStreamsItsSourcesAndCitationsAreAlreadyThere()
    {
        var (_, message, call) = await RenderWhileStreamingAsync();
        call.Send("Every 500 hours [1]", " and more");

        message.WaitForAssertion(() => Assert.Equal("1", message.Find("[data-testid=citation]").GetAttribute("data-source")));
        Assert.Equal("streaming", Status(message));
        call.Complete();
        message.WaitForAssertion(() => Assert.Equal("completed", Status(message)));
        Assert.Single(message.FindAll("[data-testid=citation]"));
    }

    [Fact]
    public async Task APageThatRendersAgainFromTheMessageItLoadedBeforeTheAnswerEndedKeepsTheLiveAnswer()
    {
        var (loadedWhileStreaming, message, call) = await RenderWhileStreamingAsync();
        call.Send("Every 500 hours [1].").Complete();
        message.WaitForAssertion(() => Assert.Equal("completed", Status(message)));

        // The page renders again with what it loaded while the answer was streaming: no text, no sources yet.
        message.Render(p => p.Add(c => c.Message, loadedWhileStreaming));

        Assert.Equal("completed", Status(message));
        Assert.Equal("1", message.Find("[data-testid=citation]").GetAttribute("data-source"));
        Assert.Contains("Every 500 hours", message.Find(".nova-markdown").TextContent);
    }

    [Fact]
    public async Task AnAnswerThatEndsBeforeItsSourcesWereShownStillCitesThem()
    {
        // Another replica writes the answer; this page reads it again each flush interval, and between two reads it
        // went from searching to finished, sources and text at once.
        var conversation = await Chat.Chat.CreateAsync(_alice);
        var answer = await Chat.AddStreamingAnswerAsync(conversation.Id, await Chat.AddReplicaAsync(heartbeatAgo: TimeSpan.Zero), content: "");
        var message = Render((await Chat.Chat.GetAsync(_alice, conversation.Id)).Messages[^1]);
        Assert.Equal("streaming", Status(message));

        await using (var db = Chat.CreateContext())
        {
            var chunk = await db.Set<Chunk>().Where(c => c.DocumentId == _manual).OrderBy(c => c.Ordinal).FirstAsync();
            db.Add(new MessageSource { MessageId = answer, Number = 1, ChunkId = chunk.Id, DocumentId = _manual, DocumentName = "pump-manual.pdf", Snippet = chunk.Text });
            await db.SaveChangesAsync();
            await db.Set<ChatMessage>().Where(m => m.Id == answer)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Content, "Every 500 hours [1].").SetProperty(m => m.Status, MessageStatus.Completed));
        }
        Chat.Clock.Advance(TimeSpan.FromSeconds(1));

        message.WaitForAssertion(() => Assert.Equal("completed", Status(message)));
        Assert.Equal("1", message.Find("[data-testid=citation]").GetAttribute("data-source"));
        Assert.Single(message.FindAll("[data-testid=source-item]"));
    }

    /// <summary>Asks about the manual and renders the answer as loaded while it streams, once its sources show.</summary>
    private async Task<(MessageView Loaded, IRenderedComponent<AssistantMessage> Message, FakeStream Call)> RenderWhileStreamingAsync()
    {
        var (turn, call) = await Chat.AskAsync(_alice, Question);
        var loaded = (await Chat.Chat.GetAsync(_alice, turn.ConversationId)).Messages[^1];
        var message = Render(loaded);
        message.WaitForAssertion(() => Assert.NotEmpty(message.FindAll("[data-testid=source-item]")));
        return (loaded, message, call);
    }

    private static string? Status(IRenderedComponent<AssistantMessage> message) =>
        message.Find("[data-testid=message-assistant]").GetAttribute("data-status");

    private IRenderedComponent<AssistantMessage> Render(MessageView answer) => Context.Render<AssistantMessage>(p => p
        .Add(c => c.Message, answer)
        .Add(c => c.UserId, _alice)
        .Add(c => c.OnChanged, EventCallback.Empty)
        .Add(c => c.OnFinished, EventCallback.Empty));

    /// <summary>Asks about the manual; the fake model answers with these tokens; returns the stored answer as the chat shows it.</summary>
    private async Task<MessageView> AnswerAsync(params string[] tokens)
    {
        var (turn, call) = await Chat.AskAsync(_alice, Question);
        call.Send(tokens).Complete();
        await Chat.FinishedAsync(turn.ConversationId);
        var answer = (await Chat.Chat.GetAsync(_alice, turn.ConversationId)).Messages[^1];
        Assert.Equal(MessageStatus.Completed, answer.Status);
        Assert.NotEmpty(answer.Sources);
        return answer;
    }
}

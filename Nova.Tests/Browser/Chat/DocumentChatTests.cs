using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Nova.Fakes;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Chat.Grounding;
using Nova.Tests.Unit.Rag;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

/// <summary>A chat grounded in an ingested PDF: citations, the sources list, the source dialog and the documents picker.</summary>
public sealed class DocumentChatTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    private const string Question = "How often does the pump need a service?";

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("nova-browser-files-");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Nova:Rag:StoragePath", _files.FullName)];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var library = new DocumentLibrary(App.Services);
        await library.IngestAsync(TestFiles.Pdf(GroundedChatTests.Manual), "pump-manual.pdf", await library.CollectionAsync("Manuals"));
        // The chat lists the collections it can be grounded in when it opens.
        await GoToAsync(Page, "");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task ACitedAnswerOpensTheCitedPageOfThePdf()
    {
        Model.Answer = "The pump needs a service every 500 operating hours [1].";
        await Expect(Page.GetByTestId("collection-picker")).ToContainTextAsync("All documents");

        await SendAsync(Page, Question);

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        var citation = LastAnswer(Page).GetByTestId("citation");
        await Expect(citation).ToHaveCountAsync(1);
        await Expect(citation).ToHaveAttributeAsync("data-source", "1");
        var source = LastAnswer(Page).GetByTestId("source-item").First;
        await Expect(source).ToContainTextAsync("pump-manual.pdf");
        await Expect(source).ToContainTextAsync("page 2");
        Assert.Contains("<source id=\"1\" document=\"pump-manual.pdf\" page=\"2\">", Model.ChatRequests[^1].LastUserMessage);
        await ScreenshotAsync(Page, "documents-answer-light");

        await citation.ClickAsync();

        await Expect(Page.GetByTestId("source-dialog-title")).ToHaveTextAsync("pump-manual.pdf · page 2");
        await Expect(Page.GetByTestId("source-passage-cited")).ToContainTextAsync("every 500 operating hours");
        await ScreenshotAsync(Page, "documents-source-light");
        await Page.GetByTestId("source-close").ClickAsync();
        await Expect(Page.GetByTestId("source-dialog")).ToHaveCountAsync(0);

        await Page.Context.AddCookiesAsync([new Cookie { Name = "nova-theme", Value = "dark", Url = BaseAddress.ToString() }]);
        await Page.ReloadAsync();
        await WaitForInteractiveAsync(Page);
        await Page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(LastAnswer(Page).GetByTestId("citation")).ToHaveCountAsync(1);
        await ScreenshotAsync(Page, "documents-answer-dark");
        await LastAnswer(Page).GetByTestId("source-item").First.ClickAsync();
        await Expect(Page.GetByTestId("source-passage-cited")).ToContainTextAsync("every 500 operating hours");
        await ScreenshotAsync(Page, "documents-source-dark");
    }

    [Fact]
    public async Task TurningDocumentsOffSendsTheQuestionAlone()
    {
        Model.Answer = "I do not know.";

        await Page.GetByTestId("collection-picker").ClickAsync();
        await Page.GetByTestId("scope-off").ClickAsync();
        await Expect(Page.GetByTestId("collection-picker")).ToHaveAttributeAsync("data-scope", "off");
        await SendAsync(Page, Question);

        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");
        Assert.Equal(Question, Model.ChatRequests[^1].LastUserMessage);
        await Expect(LastAnswer(Page).GetByTestId("source-item")).ToHaveCountAsync(0);
        await Page.ReloadAsync();
        await WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("collection-picker")).ToContainTextAsync("No documents");

        await Page.GetByTestId("collection-picker").ClickAsync();
        await Page.GetByTestId("scope-collection").First.ClickAsync();
        await Expect(Page.GetByTestId("collection-picker")).ToHaveAttributeAsync("data-scope", "collections");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("scope-off")).ToHaveCountAsync(0);
        await Page.SetViewportSizeAsync(390, 800);
        await Expect(Page.GetByTestId("collection-picker")).ToContainTextAsync(new Regex("Manuals"));
        await ScreenshotAsync(Page, "documents-picker-narrow");
        var overflow = await Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The chat scrolls sideways on a phone-sized window.");
    }
}

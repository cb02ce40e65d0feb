using Nova.Fakes;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Chat.Grounding;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

/// <summary>The whole path an admin takes: upload a PDF on the documents page, then ask about it in a new chat and follow the citation.</summary>
public sealed class UploadToCitationTests(BrowserFixture browser) : ChatBrowserTest(browser), IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("nova-upload-chat-");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [.. base.Settings, new("Nova:Rag:StoragePath", _files.FullName)];

    [Fact]
    public async Task AnUploadedPdfGroundsTheNextChatAndItsCitationOpensThePage()
    {
        await Page.GetByTestId("nav-documents").ClickAsync();
        await WaitForInteractiveAsync(Page);
        await PickDocumentsAsync(Page, PickedFile("pump-manual.pdf", TestFiles.Pdf(GroundedChatTests.Manual)));
        var row = Page.Locator("[data-testid=document-row][data-name='pump-manual.pdf']");
        await Expect(row).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = 120_000 });

        Model.Answer = "Every 500 operating hours [1].";
        await Page.GetByTestId("new-chat").ClickAsync();
        await WaitForInteractiveAsync(Page);
        await SendAsync(Page, "How often does the pump need a service?");

        // The first question after an upload searches the new index: seconds on these shared, loaded cores.
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 30_000 });
        await LastAnswer(Page).GetByTestId("citation").ClickAsync();
        await Expect(Page.GetByTestId("source-dialog-title")).ToHaveTextAsync("pump-manual.pdf · page 2");
    }

    public void Dispose() => _files.Delete(recursive: true);
}

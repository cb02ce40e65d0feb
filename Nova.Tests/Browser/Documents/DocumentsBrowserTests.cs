using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Rag;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Documents;

/// <summary>An admin manages documents in a real browser: real files through the file input, real ingestion (MiniLM).</summary>
public sealed class DocumentsBrowserTests(BrowserFixture browser, ITestOutputHelper output) : NovaBrowserTest(browser)
{
    private static readonly TimeSpan Ingestion = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AnAdminUploadsRealFilesWatchesThemIndexDeletesOneAndRetriesAFailure()
    {
        var page = await NewPageAsync();
        await RegisterAsync(page, "admin@example.com");
        await page.GetByTestId("nav-documents").ClickAsync();
        await WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("document-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("upload-limit")).ToContainTextAsync("up to 50 MB each");
        await ScreenshotAsync(page, "documents-empty-light");
        await RecordRowStatusesAsync(page);

        var manual = PickedFile("pump-manual.pdf", TestFiles.Pdf(ManualPages(50)));
        var rules = PickedFile("safety-rules.docx", TestFiles.Docx("Safety rules", "Wear gloves near the press at all times.",
            [["Part", "Number"], ["Valve", "PX-200"]]));
        var whole = TestFiles.Pdf(ManualPages(2));
        var broken = PickedFile("truncated.pdf", whole[..(whole.Length / 2)]);
        var photo = PickedFile("photo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]);
        var clock = Stopwatch.StartNew();
        await PickDocumentsAsync(page, manual, rules, broken, photo);

        await Expect(page.GetByTestId("document-row")).ToHaveCountAsync(3);
        await ScreenshotAsync(page, "documents-processing-light");
        await Expect(Row(page, "pump-manual.pdf")).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = (float)Ingestion.TotalMilliseconds });
        var dropToReady = clock.Elapsed;
        var indexed = (await App.Services.GetRequiredService<DocumentService>().ListAsync(RagTestHost.Admin, new DocumentQuery(Search: "pump-manual")))
            .Items.Single();
        output.WriteLine($"50-page PDF ({manual.Buffer.Length:N0} bytes, {indexed.ChunkCount} chunks): drop to Ready in " +
                         $"{dropToReady.TotalSeconds:N1} s, of which stored to indexed {(indexed.IndexedAt!.Value - indexed.CreatedAt).TotalSeconds:N1} s");
        await Expect(Row(page, "safety-rules.docx")).ToHaveAttributeAsync("data-status", "ready", new() { Timeout = (float)Ingestion.TotalMilliseconds });
        await Expect(Row(page, "truncated.pdf")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(Row(page, "truncated.pdf").GetByTestId("document-failure")).ToContainTextAsync("The PDF could not be read");
        await Expect(page.Locator("[data-testid=upload-item][data-name='photo.png']")).ToHaveAttributeAsync("data-state", "rejected");
        await Expect(page.Locator("[data-testid=upload-item][data-name='photo.png']")).ToContainTextAsync("not supported");
        await Expect(page.GetByTestId("document-row")).ToHaveCountAsync(3);
        await Expect(Row(page, "pump-manual.pdf").GetByTestId("document-pages")).ToHaveTextAsync("50");
        await Expect(Row(page, "pump-manual.pdf").GetByTestId("document-collection")).ToHaveTextAsync("General");
        var seen = await StatusesAsync(page, "pump-manual.pdf");
        Assert.Equal("processing", seen.First());
        Assert.Equal("ready", seen.Last());
        await ScreenshotAsync(page, "documents-light");

        await Row(page, "safety-rules.docx").GetByTestId("document-delete").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(Row(page, "safety-rules.docx")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("document-row")).ToHaveCountAsync(2);

        var failuresBefore = (await StatusesAsync(page, "truncated.pdf")).Count(s => s == "failed");
        await Row(page, "truncated.pdf").GetByTestId("document-retry").ClickAsync();
        await page.WaitForFunctionAsync(
            "n => window.novaStatuses.filter(s => s === 'truncated.pdf:failed').length > n", failuresBefore,
            new() { Timeout = (float)Ingestion.TotalMilliseconds });
        var retried = await StatusesAsync(page, "truncated.pdf");
        Assert.Equal("processing", retried[retried.LastIndexOf("failed") - 1]);
        await Expect(Row(page, "truncated.pdf").GetByTestId("document-failure")).ToContainTextAsync("The PDF could not be read");

        await page.GetByTestId("tab-retrieval").ClickAsync();
        await page.Locator("input[data-testid=retrieval-query]").FillAsync("What does error E-4721 mean?");
        await page.Locator("input[data-testid=retrieval-query]").PressAsync("Enter");
        await Expect(page.GetByTestId("retrieval-hit").First).ToHaveAttributeAsync("data-document", "pump-manual.pdf");
        await Expect(page.GetByTestId("retrieval-hit").First.GetByTestId("retrieval-snippet")).ToContainTextAsync("E-4721");
        await ScreenshotAsync(page, "documents-retrieval-light");
    }

    [Fact]
    public async Task ThePageWorksInDarkModeAndOnANarrowWindow()
    {
        var page = await NewPageAsync();
        await RegisterAsync(page, "admin@example.com");
        await GoToAsync(page, "admin/documents");
        await PickDocumentsAsync(page,
            PickedFile("quarterly report with a rather long file name.pdf", TestFiles.Pdf(ManualPages(3))),
            PickedFile("notes.md", "# Notes\n\nThe boiler is serviced in March."u8.ToArray()));
        await Expect(page.Locator("[data-testid=document-row][data-status=ready]")).ToHaveCountAsync(2, new() { Timeout = (float)Ingestion.TotalMilliseconds });

        // The invisible file input takes keyboard focus (Space opens the picker); the zone shows it.
        await DocumentInput(page).FocusAsync();
        Assert.Equal("solid", await page.GetByTestId("upload-dropzone").EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await DocumentInput(page).BlurAsync();

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.Locator("html[data-theme=dark]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("document-row")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "documents-dark");
        await page.GetByTestId("tab-collections").ClickAsync();
        await Expect(page.GetByTestId("collection-row")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "documents-collections-dark");

        await page.SetViewportSizeAsync(390, 800);
        await page.ReloadAsync();
        await WaitForInteractiveAsync(page);
        await Expect(page.GetByTestId("document-row")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "documents-narrow");
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The page scrolls sideways on a phone-sized window.");
        await Expect(Row(page, "notes.md").GetByTestId("document-delete")).ToBeVisibleAsync();
        await Expect(Row(page, "notes.md").GetByTestId("document-chunks")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdminIsRefused()
    {
        var admin = await NewPageAsync();
        await RegisterAsync(admin, "admin@example.com");
        var user = await NewPageAsync();
        await RegisterAsync(user, "user@example.com");

        await Expect(user.GetByTestId("nav-documents")).ToHaveCountAsync(0);
        await user.GotoAsync("admin/documents");

        await Expect(user.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Expect(user.Locator("input[data-testid=document-upload]")).ToHaveCountAsync(0);
    }

    private static ILocator Row(IPage page, string name) => page.Locator($"[data-testid=document-row][data-name='{name}']");

    /// <summary>Every status a row showed, as the browser rendered it (a check afterwards would miss the short-lived ones).</summary>
    private static Task RecordRowStatusesAsync(IPage page) => page.EvaluateAsync("""
        () => {
            window.novaStatuses = [];
            const record = row => {
                const entry = row.dataset.name + ':' + row.dataset.status;
                if (window.novaStatuses.filter(s => s.startsWith(row.dataset.name + ':')).at(-1) !== entry) window.novaStatuses.push(entry);
            };
            new MutationObserver(changes => {
                for (const change of changes) {
                    if (change.type === 'attributes') record(change.target);
                    for (const node of change.addedNodes) {
                        if (node.nodeType !== 1) continue;
                        if (node.matches('[data-testid=document-row]')) record(node);
                        node.querySelectorAll('[data-testid=document-row]').forEach(record);
                    }
                }
            }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        }
        """);

    private static async Task<List<string>> StatusesAsync(IPage page, string name) =>
        (await page.EvaluateAsync<string[]>("() => window.novaStatuses")).Where(s => s.StartsWith(name + ":", StringComparison.Ordinal))
        .Select(s => s[(name.Length + 1)..]).ToList();

    /// <summary>Pages of a pump manual with enough text to take real time to embed; page 2 holds a known error code.</summary>
    private static string[][] ManualPages(int count) => Enumerable.Range(1, count).Select(page => Enumerable.Range(1, 20).Select(line =>
        page == 2 && line == 1
            ? "Error E-4721 means the impeller is blocked; switch the pump off and clear the intake."
            : $"Section {page}.{line}: inspect valve {page * 100 + line} and record the pressure reading in the maintenance log.").ToArray()).ToArray();
}

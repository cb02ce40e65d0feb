using Bunit;
using MudBlazor;
using Nova.App.Components.Pages.Admin.Documents;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Documents;

public sealed class DocumentTableTests : DocumentComponentTest
{
    [Fact]
    public void WithNoDocumentsTheEmptyStateExplainsWhatToDo()
    {
        var table = RenderTable();

        table.WaitForAssertion(() => Assert.Contains("No documents yet", table.Find("[data-testid=document-empty]").TextContent));
        Assert.Empty(table.FindAll("[data-testid=document-row]"));
    }

    [Fact]
    public async Task ProgressEventsMoveTheRowThroughTheStagesUntilItIsReadyWithItsCounts()
    {
        var id = await SeedDocumentAsync("manual.pdf");
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.Equal("processing", Row(table).GetAttribute("data-status")));

        Events.Publish(new DocumentProgress(id, DocumentStatus.Parsing, 0.02, null));
        table.WaitForAssertion(() => Assert.Equal("parsing", table.Find("[data-testid=document-stage]").GetAttribute("data-stage")));
        Events.Publish(new DocumentProgress(id, DocumentStatus.Embedding, 0.6, null));
        table.WaitForAssertion(() => Assert.Contains("Embedding", table.Find("[data-testid=document-stage]").TextContent));
        Assert.Contains("4/5 · 60%", table.Find("[data-testid=document-stage]").TextContent);
        await SetStatusAsync(id, DocumentStatus.Ready, chunks: 42, pages: 7);
        Events.Publish(new DocumentProgress(id, DocumentStatus.Ready, 1, null));

        table.WaitForAssertion(() => Assert.Equal("ready", Row(table).GetAttribute("data-status")));
        Assert.Equal("42", Row(table).QuerySelector("[data-testid=document-chunks]")!.TextContent.Trim());
        Assert.Equal("7", Row(table).QuerySelector("[data-testid=document-pages]")!.TextContent.Trim());
        Assert.Contains("Indexed", Row(table).TextContent);
    }

    [Fact]
    public async Task ABurstOfProgressEventsCostsOneRenderAndLeavesOtherRowsAlone()
    {
        var busy = await SeedDocumentAsync("busy.pdf");
        await SeedDocumentAsync("quiet.pdf");
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.Equal(2, table.FindAll("[data-testid=document-row]").Count));
        var rows = table.FindComponents<DocumentRow>();
        var (busyRow, quietRow) = (rows.Single(r => r.Instance.Document.Id == busy), rows.Single(r => r.Instance.Document.Id != busy));
        var quietRenders = quietRow.RenderCount;
        var before = busyRow.RenderCount;
        Events.Publish(new DocumentProgress(busy, DocumentStatus.Parsing, 0.02, null));
        table.WaitForAssertion(() => Assert.Contains("Parsing", BusyStage(table)));
        var oneUpdate = busyRow.RenderCount - before;

        before = busyRow.RenderCount;
        for (var i = 1; i <= 200; i++)
        {
            Events.Publish(new DocumentProgress(busy, DocumentStatus.Embedding, 0.3 + 0.6 * i / 200, null));
        }
        table.WaitForAssertion(() => Assert.Contains("90%", BusyStage(table)));

        // bUnit counts a row's child components too, so compare with what one update costs. A loaded
        // machine may spread the burst over a few throttle intervals; one render per event would be 200.
        Assert.InRange(busyRow.RenderCount - before, 1, 10 * oneUpdate);
        Assert.Equal(quietRenders, quietRow.RenderCount);
    }

    [Fact]
    public async Task AFailedDocumentShowsWhyAndRetryQueuesItAgain()
    {
        var pdf = TestFiles.Pdf([["Only page"]]);
        var broken = await Rag.IngestAsync(pdf[..(pdf.Length / 2)], "broken.pdf");
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Events.Changed += p =>
        {
            if (p.DocumentId == broken.Id && p.Status == DocumentStatus.Uploaded)
            {
                retried.TrySetResult();
            }
        };
        var done = Rag.WatchForEnd();
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.Equal("failed", Row(table).GetAttribute("data-status")));
        Assert.StartsWith("The PDF could not be read", table.Find("[data-testid=document-failure]").TextContent.Trim());

        table.Find("[data-testid=document-retry]").Click();

        await retried.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Rag.WaitAsync(broken.Id, done);
        table.WaitForAssertion(() => Assert.Equal("failed", Row(table).GetAttribute("data-status")), TimeSpan.FromSeconds(10));
        Assert.StartsWith("The PDF could not be read", table.Find("[data-testid=document-failure]").TextContent.Trim());
    }

    [Fact]
    public async Task DeletingAsksFirstThenRemovesTheRowAndTheDocument()
    {
        var id = await SeedDocumentAsync("old.pdf", DocumentStatus.Failed, "The PDF could not be read.");
        var dialogs = Context.Render<MudDialogProvider>();
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.Single(table.FindAll("[data-testid=document-row]")));

        table.Find("[data-testid=document-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete “old.pdf”?", dialogs.Markup));
        Assert.NotNull(await Rag.Documents.GetAsync(RagTestHost.Admin, id));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        table.WaitForAssertion(() => Assert.NotNull(table.Find("[data-testid=document-empty]")));
        Assert.Null(await Rag.Documents.GetAsync(RagTestHost.Admin, id));
    }

    [Fact]
    public async Task ADocumentAddedElsewhereAppearsWithoutAReload()
    {
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.NotNull(table.Find("[data-testid=document-empty]")));

        await Rag.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream("Hello."u8.ToArray()), "hello.txt", []);

        table.WaitForAssertion(() => Assert.Equal("hello.txt", Row(table).GetAttribute("data-name")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SearchAndStatusFilterNarrowTheRows()
    {
        await SeedDocumentAsync("alpha report.pdf", DocumentStatus.Failed, "bad");
        await SeedDocumentAsync("beta report.pdf");
        await SeedDocumentAsync("gamma.pdf");
        var table = RenderTable();
        table.WaitForAssertion(() => Assert.Equal(3, table.FindAll("[data-testid=document-row]").Count));

        table.Find("input[data-testid=document-search]").Input("report");
        // Two documents seeded in the same millisecond may list either way round: the filter is what is checked here.
        table.WaitForAssertion(() => Assert.Equal(["alpha report.pdf", "beta report.pdf"], Names(table).Order()), TimeSpan.FromSeconds(3));
        table.Find("input[data-testid=document-search]").Input("nothing like it");

        table.WaitForAssertion(() => Assert.Contains("No documents match “nothing like it”", table.Find("[data-testid=document-no-match]").TextContent),
            TimeSpan.FromSeconds(3));
    }

    private IRenderedComponent<DocumentTable> RenderTable() => Context.Render<DocumentTable>(p => p
        .Add(t => t.Actor, RagTestHost.Admin)
        .Add(t => t.Collections, Array.Empty<CollectionInfo>()));

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<DocumentTable> table) => table.Find("[data-testid=document-row]");

    private static string BusyStage(IRenderedComponent<DocumentTable> table) =>
        table.Find("[data-testid=document-row][data-name='busy.pdf'] [data-testid=document-stage]").TextContent;

    private static List<string?> Names(IRenderedComponent<DocumentTable> table) =>
        table.FindAll("[data-testid=document-row]").Select(r => r.GetAttribute("data-name")).ToList();
}

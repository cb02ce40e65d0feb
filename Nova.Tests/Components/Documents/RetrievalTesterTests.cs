using Bunit;
using Nova.App.Components.Pages.Admin.Documents;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Services.Rag.Retrieval;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Documents;

public sealed class RetrievalTesterTests : DocumentComponentTest
{
    private static readonly string[][] Manual =
    [
        ["Pump maintenance manual", "Check the seals every week."],
        ["Error E-4721 means the impeller is blocked.", "Clear it before restarting."],
    ];

    [Fact]
    public async Task AQuestionShowsThePassagesWithDocumentPageAndEveryScore()
    {
        await Rag.IngestAsync(TestFiles.Pdf(Manual), "manual.pdf");
        var tester = RenderTester(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));

        tester.Find("input[data-testid=retrieval-query]").Input("What does E-4721 mean?");
        await tester.Find("[data-testid=retrieval-form]").SubmitAsync();

        var hit = tester.WaitForElement("[data-testid=retrieval-hit]", TimeSpan.FromSeconds(10));
        Assert.Equal("manual.pdf", hit.GetAttribute("data-document"));
        Assert.Equal("page 2", hit.QuerySelector("[data-testid=retrieval-page]")!.TextContent.Trim());
        Assert.Contains("E-4721", hit.QuerySelector("[data-testid=retrieval-snippet]")!.TextContent);
        Assert.Matches(@"Dense\s+0\.\d{4}", hit.QuerySelector("[data-testid=score-dense]")!.TextContent);
        Assert.Matches(@"Lexical\s+\d+\.\d+", hit.QuerySelector("[data-testid=score-lexical]")!.TextContent);
        Assert.Matches(@"Fused\s+0\.\d{4}", hit.QuerySelector("[data-testid=score-fused]")!.TextContent);
        Assert.Equal("Rerank —", Normalized(hit.QuerySelector("[data-testid=score-rerank]")!.TextContent));
    }

    [Fact]
    public async Task LexicalModeShowsNoDenseScoreAndNothingFoundSaysWhy()
    {
        await Rag.IngestAsync(TestFiles.Pdf(Manual), "manual.pdf");
        var tester = RenderTester(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));
        await tester.InvokeAsync(() => tester.FindComponents<MudBlazor.MudSelect<RetrievalMode>>().Single().Instance.SelectOption(RetrievalMode.Lexical));

        tester.Find("input[data-testid=retrieval-query]").Input("impeller blocked");
        await tester.Find("[data-testid=retrieval-form]").SubmitAsync();
        var hit = tester.WaitForElement("[data-testid=retrieval-hit]", TimeSpan.FromSeconds(10));
        Assert.Equal("Dense —", Normalized(hit.QuerySelector("[data-testid=score-dense]")!.TextContent));
        Assert.Contains("Lexical", tester.Find("[data-testid=retrieval-summary]").TextContent);

        tester.Find("input[data-testid=retrieval-query]").Input("zebra xylophone quartz");
        await tester.Find("[data-testid=retrieval-form]").SubmitAsync();
        tester.WaitForAssertion(() => Assert.Contains("Nothing was found", tester.Find("[data-testid=retrieval-empty]").TextContent));
    }

    private IRenderedComponent<RetrievalTester> RenderTester(IReadOnlyList<CollectionInfo> collections) =>
        Context.Render<RetrievalTester>(p => p.Add(t => t.Actor, RagTestHost.Admin).Add(t => t.Collections, collections));

    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// Files made to hurt the server: each fails with a reason, and the next document is indexed as usual. Writing a
/// gigabyte-sized bomb takes the CPU for seconds, so these run alone rather than beside timed browser tests.
/// </summary>
[Collection(nameof(HostileFileTests))]
public sealed class HostileFileTests
{
    private static readonly byte[] Fine = Encoding.UTF8.GetBytes("Still working.");

    [Theory]
    [InlineData(64L << 20, false, "8000000")]
    [InlineData(2L << 30, true, "209715200")]
    public async Task APdfThatInflatesPastTheCapIsRefusedBeforeItIsInflated(long zeros, bool deflateTwice, string maxUncompressedBytes)
    {
        var bomb = HostilePdfs.FlateBomb(zeros, deflateTwice);
        await using var host = await RagTestHost.StartAsync(new Dictionary<string, string?> { ["Nova:Rag:MaxUncompressedBytes"] = maxUncompressedBytes });
        var library = await host.CollectionAsync("Library");

        var refused = await host.IngestAsync(bomb, "bomb.pdf", library);
        var next = await host.IngestAsync(Fine, "fine.txt", library);

        Assert.True(bomb.Length < 2_000_000);
        Assert.Equal(DocumentStatus.Failed, refused.Status);
        Assert.Contains("decompression bomb", refused.FailureReason);
        Assert.Empty(await host.ChunksAsync(refused.Id));
        Assert.Equal(DocumentStatus.Ready, next.Status);
    }

    [Theory]
    [InlineData("plain objects")]
    [InlineData("deflated object stream")]
    [InlineData("stored object stream")]
    public async Task APdfWhoseReferencesGoRoundInALoopFailsInsteadOfEndingTheProcess(string where)
    {
        var pdf = where switch
        {
            "plain objects" => HostilePdfs.ReferenceLoop(),
            "deflated object stream" => HostilePdfs.ReferenceLoopInObjectStream(deflated: true),
            _ => HostilePdfs.ReferenceLoopInObjectStream(deflated: false),
        };
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");

        var looped = await host.IngestAsync(pdf, "loop.pdf", library);
        var next = await host.IngestAsync(Fine, "fine.txt", library);

        Assert.Equal(DocumentStatus.Failed, looped.Status);
        Assert.Contains(where == "plain objects" ? "loop of references" : "could not be read", looped.FailureReason);
        Assert.Equal(DocumentStatus.Ready, next.Status);
    }

    [Fact]
    public async Task AParseThatNeverEndsFailsTheDocumentAtTheTimeoutAndFreesTheWorker()
    {
        using var stuck = new StuckParser();
        await using var host = await RagTestHost.StartAsync(
            new Dictionary<string, string?> { ["Nova:Rag:ParseTimeoutSeconds"] = "1", ["Nova:Rag:IngestionConcurrency"] = "1" },
            services: s => s.AddSingleton(new DocumentParsers([new PdfParser(), stuck])));
        var library = await host.CollectionAsync("Library");

        var hung = await host.IngestAsync(Fine, "hangs.txt", library);
        var next = await host.IngestAsync(TestFiles.Pdf(["Next document", "Indexed as usual."]), "next.pdf", library);

        Assert.Equal(DocumentStatus.Failed, hung.Status);
        Assert.Equal("Reading the file took longer than 1 seconds.", hung.FailureReason);
        Assert.True(stuck.Entered.IsSet);
        Assert.Equal(DocumentStatus.Ready, next.Status);
    }

    [Fact]
    public async Task NoDocumentLockOutlivesTheWorkOnItsDocument()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");
        var documents = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            documents.Add((await host.IngestAsync(Encoding.UTF8.GetBytes($"Document number {i}."), $"d{i}.txt", library)).Id);
        }
        await host.Documents.DeleteAsync(RagTestHost.Admin, documents[0]);

        Assert.Equal(0, host.Services.GetRequiredService<IngestionQueue>().HeldDocumentLocks);
    }

    [Fact]
    public async Task ADocumentLockLetsOneHolderInAtATimeAndIsGoneWhenNoneWaits()
    {
        var locks = new DocumentLocks();
        var document = Guid.NewGuid();

        var first = await locks.AcquireAsync(document, CancellationToken.None);
        var second = locks.AcquireAsync(document, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = locks.AcquireAsync(document, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        Assert.False(second.IsCompleted);
        Assert.Equal(1, locks.Count);
        first.Dispose();
        (await second).Dispose();
        Assert.Equal(0, locks.Count);
    }

    /// <summary>Plain text that never finishes parsing, whatever the token says, as a parser stuck inside a library would.</summary>
    private sealed class StuckParser : IDocumentParser, IDisposable
    {
        private readonly ManualResetEventSlim _release = new();

        public ManualResetEventSlim Entered { get; } = new();

        public DocumentKind Kind => DocumentKind.Text;

        public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
        {
            Entered.Set();
            _release.Wait();
            throw new DocumentParseException("Released at the end of the test.");
        }

        public void Dispose()
        {
            _release.Set();
            Entered.Dispose();
        }
    }
}

[CollectionDefinition(nameof(HostileFileTests), DisableParallelization = true)]
public sealed class HostileFileCollection;

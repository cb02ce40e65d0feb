using System.Text;
using Microsoft.EntityFrameworkCore;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

public sealed class RagIngestionTests
{
    private static readonly string[][] ThreePages =
    [
        ["Pump maintenance manual", "Check the seals every week."],
        ["Error E-4721 means the impeller is blocked.", "Clear it before restarting."],
        ["Warranty", "Parts are covered for two years."],
    ];

    [Fact]
    public async Task EveryFormatIsIndexedWithPagesAndHeadingsKept()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");

        var pdf = await host.IngestAsync(TestFiles.Pdf(ThreePages), "manual.pdf", library);
        var docx = await host.IngestAsync(TestFiles.Docx("Safety rules", "Wear gloves near the press.",
            [["Part", "Number"], ["Valve", "PX-200"]]), "rules.docx", library);
        var html = await host.IngestAsync(Encoding.UTF8.GetBytes(
            "<!DOCTYPE html><html><head><title>T</title><script>var secret='tracking';</script></head><body>" +
            "<nav>Home | About</nav><main><h1>Release notes</h1><h2>Version 3</h2><p>Adds dark mode.</p></main></body></html>"),
            "notes.html", library);
        var md = await host.IngestAsync(Encoding.UTF8.GetBytes("# Guide\n\n## Install\n\nRun the installer twice.\n"), "guide.md", library);
        var txt = await host.IngestAsync(Encoding.UTF8.GetBytes("Plain words.\n\nAnother paragraph."), "plain.txt", library);

        Assert.All([pdf, docx, html, md, txt], d => Assert.Equal(DocumentStatus.Ready, d.Status));
        Assert.Equal(["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/html",
            "text/markdown", "text/plain"], new[] { pdf, docx, html, md, txt }.Select(d => d.ContentType));
        Assert.Equal(3, pdf.PageCount);
        var pdfChunks = await host.ChunksAsync(pdf.Id);
        Assert.Equal([1, 2, 3], pdfChunks.Select(c => c.Page!.Value).Distinct());
        Assert.Contains(pdfChunks, c => c.Page == 2 && c.Text.Contains("E-4721"));
        var docxChunks = await host.ChunksAsync(docx.Id);
        Assert.All(docxChunks, c => Assert.Equal("Safety rules", c.HeadingPath));
        Assert.Contains(docxChunks, c => c.Text.Contains("Valve | PX-200"));
        var htmlChunks = await host.ChunksAsync(html.Id);
        Assert.Equal("Release notes > Version 3", Assert.Single(htmlChunks).HeadingPath);
        Assert.DoesNotContain(htmlChunks, c => c.Text.Contains("tracking") || c.Text.Contains("About"));
        Assert.Equal("Guide > Install", Assert.Single(await host.ChunksAsync(md.Id)).HeadingPath);
        Assert.All(await host.ChunksAsync(txt.Id), c => Assert.True(c.TokenCount > 0 && c.Embedding!.Length == 384 * 4));
    }

    [Fact]
    public async Task AZipBombFailsWithAReasonAndTheNextDocumentIsUnaffected()
    {
        await using var host = await RagTestHost.StartAsync(new Dictionary<string, string?> { ["Nova:Rag:MaxUncompressedBytes"] = "8000000" });
        var library = await host.CollectionAsync("Library");

        var bomb = await host.IngestAsync(TestFiles.ZipBombDocx(64 << 20), "bomb.docx", library);
        var fine = await host.IngestAsync(Encoding.UTF8.GetBytes("Still working."), "fine.txt", library);

        Assert.Equal(DocumentStatus.Failed, bomb.Status);
        Assert.Contains("zip bomb", bomb.FailureReason);
        Assert.Empty(await host.ChunksAsync(bomb.Id));
        Assert.Equal(DocumentStatus.Ready, fine.Status);
    }

    [Fact]
    public async Task ATruncatedPdfFailsWithAReason()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");
        var pdf = TestFiles.Pdf(ThreePages);

        var truncated = await host.IngestAsync(pdf[..(pdf.Length / 2)], "broken.pdf", library);

        Assert.Equal(DocumentStatus.Failed, truncated.Status);
        Assert.StartsWith("The PDF could not be read", truncated.FailureReason);
    }

    [Fact]
    public async Task TheTypeComesFromTheContentNotTheName()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");

        var pdfNamedTxt = await host.IngestAsync(TestFiles.Pdf(ThreePages), "notes.txt", library);
        var executable = new byte[] { (byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0 };
        var rejected = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            host.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream(executable), "report.pdf", [library]));

        Assert.Equal("application/pdf", pdfNamedTxt.ContentType);
        Assert.Equal(DocumentStatus.Ready, pdfNamedTxt.Status);
        Assert.Equal(RejectionKind.UnsupportedType, rejected.Kind);
        Assert.DoesNotContain(Directory.GetFiles(host.StoragePath), f => new FileInfo(f).Length == executable.Length);
    }

    [Fact]
    public async Task AnOversizeUploadIsRefusedAndNothingIsKept()
    {
        await using var host = await RagTestHost.StartAsync(new Dictionary<string, string?> { ["Nova:Rag:MaxFileBytes"] = "1048576" });
        var library = await host.CollectionAsync("Library");
        var before = Directory.Exists(host.StoragePath) ? Directory.GetFiles(host.StoragePath).Length : 0;

        var rejected = await Assert.ThrowsAsync<DocumentRejectedException>(() => host.Documents.UploadAsync(RagTestHost.Admin,
            new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 2 << 20))), "big.txt", [library]));

        Assert.Equal(RejectionKind.TooLarge, rejected.Kind);
        Assert.Equal(before, Directory.GetFiles(host.StoragePath).Length);
        Assert.Equal(0, (await host.Documents.ListAsync(RagTestHost.Admin)).Total);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\report.txt", "report.txt")]
    [InlineData("con.txt", "con.txt")]
    [InlineData("in\0voice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("\u2066\u200F  ", "Untitled document")]
    public async Task PathLikeAndDisguisedNamesAreOnlyDisplayText(string name, string shown)
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");

        var document = await host.IngestAsync(Encoding.UTF8.GetBytes("root:x:0:0"), name, library);

        Assert.Equal(shown, document.DisplayName);
        Assert.Equal(DocumentStatus.Ready, document.Status);
        var stored = Assert.Single(Directory.GetFiles(host.StoragePath));
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(stored));
        Assert.False(File.Exists(Path.Combine(host.Database.Folder, "etc", "passwd")));
    }

    [Fact]
    public async Task DeletingADocumentRemovesItFromEveryIndexAndDisk()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");
        var document = await host.IngestAsync(TestFiles.Pdf(ThreePages), "manual.pdf", library);
        Assert.NotEmpty(await host.Retrieval.SearchAsync("E-4721 impeller", RagTestHost.Admin));

        Assert.True(await host.Documents.DeleteAsync(RagTestHost.Admin, document.Id));

        Assert.Empty(await host.ChunksAsync(document.Id));
        Assert.Empty(await host.Retrieval.SearchAsync("E-4721 impeller", RagTestHost.Admin, mode: Nova.Services.Rag.Retrieval.RetrievalMode.Dense));
        Assert.Empty(await host.Retrieval.SearchAsync("E-4721 impeller", RagTestHost.Admin, mode: Nova.Services.Rag.Retrieval.RetrievalMode.Lexical));
        Assert.Empty(Directory.GetFiles(host.StoragePath));
        Assert.Null(await host.Documents.GetAsync(RagTestHost.Admin, document.Id));
    }

    [Fact]
    public async Task ADocumentCaughtMidwayByARestartIsIndexedCleanlyAtStart()
    {
        await using var database = await RagTestDatabase.CreateAsync();
        Guid documentId = default;
        await using (var first = await RagTestHost.StartAsync(database: database))
        {
            var library = await first.CollectionAsync("Library");
            documentId = (await first.IngestAsync(Encoding.UTF8.GetBytes("Boilers need annual service."), "boiler.txt", library)).Id;
        }
        await using (var db = database.Contexts.CreateDbContext())
        {
            // What a crash during embedding leaves: status in progress and a stray chunk.
            await db.Set<Document>().Where(d => d.Id == documentId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatus.Embedding).SetProperty(d => d.Progress, 0.5));
            db.Add(new Chunk { Id = Guid.NewGuid(), DocumentId = documentId, Ordinal = 99, Text = "half-written" });
            await db.SaveChangesAsync();
        }

        await using var second = await RagTestHost.StartAsync(database: database);
        var done = second.WatchForEnd();
        var document = await second.WaitAsync(documentId, done);

        Assert.Equal(DocumentStatus.Ready, document.Status);
        Assert.Equal(1.0, document.Progress);
        var chunk = Assert.Single(await second.ChunksAsync(documentId));
        Assert.Equal("Boilers need annual service.", chunk.Text);
    }

    [Fact]
    public async Task UsersNeverRetrieveChunksOfCollectionsTheyMayNotRead()
    {
        await using var host = await RagTestHost.StartAsync();
        var everyone = await host.CollectionAsync("Handbook");
        var hr = await host.CollectionAsync("Salaries", "HR");
        await host.IngestAsync(Encoding.UTF8.GetBytes("The canteen opens at eight."), "canteen.txt", everyone);
        await host.IngestAsync(Encoding.UTF8.GetBytes("The salary of the canteen manager is 4200 euros."), "salaries.txt", hr);
        var user = RagTestHost.Principal("u1", "User");
        var hrUser = RagTestHost.Principal("u2", "User", "HR");

        var userHits = await host.Retrieval.SearchAsync("canteen manager salary", user, topK: 10);
        var forcedHits = await host.Retrieval.SearchAsync("canteen manager salary", user, [hr], topK: 10);
        var hrHits = await host.Retrieval.SearchAsync("canteen manager salary", hrUser, topK: 10);
        var anonymous = await host.Retrieval.SearchAsync("canteen", new System.Security.Claims.ClaimsPrincipal(), topK: 10);

        Assert.Equal(["canteen.txt"], userHits.Select(h => h.DocumentName));
        Assert.Empty(forcedHits);
        Assert.Equal("salaries.txt", hrHits[0].DocumentName);
        Assert.Empty(anonymous);
    }

    [Fact]
    public async Task ReindexingAllRebuildsEveryIndexFromTheStoredFiles()
    {
        await using var host = await RagTestHost.StartAsync();
        var library = await host.CollectionAsync("Library");
        var document = await host.IngestAsync(TestFiles.Pdf(ThreePages), "manual.pdf", library);
        var before = (await host.ChunksAsync(document.Id)).Select(c => c.Id).ToList();
        var done = host.WatchForEnd();

        await host.Documents.ReindexAllAsync(RagTestHost.Admin);
        var after = await host.WaitAsync(document.Id, done);

        Assert.Equal(DocumentStatus.Ready, after.Status);
        var chunks = await host.ChunksAsync(document.Id);
        Assert.Equal(before.Count, chunks.Count);
        Assert.Empty(chunks.Select(c => c.Id).Intersect(before));
        Assert.Equal(document.Id, (await host.Retrieval.SearchAsync("E-4721", RagTestHost.Admin, topK: 1)).Single().DocumentId);
    }

    [Fact]
    public async Task NonAdminsCannotManageDocuments()
    {
        await using var host = await RagTestHost.StartAsync();
        var user = RagTestHost.Principal("u1", "User");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Documents.DeleteAsync(user, Guid.NewGuid()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Documents.CreateCollectionAsync(user, "Mine", Collection.Everyone));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Documents.UploadAsync(user, new MemoryStream([1]), "x", []));
    }

    [Fact]
    public async Task UsersReadOnlyTheDocumentsOfCollectionsTheyMayRead()
    {
        await using var host = await RagTestHost.StartAsync();
        var open = await host.CollectionAsync("Open");
        var finance = await host.CollectionAsync("Finance", "Finance");
        var shared = await host.IngestAsync("Shared notes."u8.ToArray(), "shared.txt", open);
        var secret = await host.IngestAsync("Budget lines."u8.ToArray(), "budget.txt", finance);
        var unfiled = await host.IngestAsync("Loose notes."u8.ToArray(), "loose.txt");
        var user = RagTestHost.Principal("u1", "User");
        var accountant = RagTestHost.Principal("u2", "User", "Finance");

        // A document added without a collection is filed under General, which everyone may read.
        Assert.Equal([unfiled.Id, shared.Id], (await host.Documents.ListAsync(user)).Items.Select(d => d.Id));
        Assert.Equal([unfiled.Id, secret.Id, shared.Id], (await host.Documents.ListAsync(accountant)).Items.Select(d => d.Id));
        Assert.Equal(3, (await host.Documents.ListAsync(RagTestHost.Admin)).Total);
        Assert.Null(await host.Documents.GetAsync(user, secret.Id));
        Assert.NotNull(await host.Documents.GetAsync(user, unfiled.Id));
        Assert.NotNull(await host.Documents.GetAsync(accountant, secret.Id));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Documents.ListAsync(new System.Security.Claims.ClaimsPrincipal()));
    }
}

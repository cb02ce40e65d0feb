using System.Text;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

public sealed class DocumentListingTests
{
    [Fact]
    public async Task TheListIsSearchedByNameAndFilteredByStatusAndNamesWhoAddedEachDocument()
    {
        await using var host = await RagTestHost.StartAsync();
        await using (var db = host.Database.Contexts.CreateDbContext())
        {
            db.Users.Add(new NovaUser { Id = "admin-1", UserName = "ada@example.com", Email = "ada@example.com", DisplayName = "Ada" });
            await db.SaveChangesAsync();
        }
        await host.IngestAsync(Encoding.UTF8.GetBytes("Quarterly figures."), "Report Q1.txt");
        await host.IngestAsync(Encoding.UTF8.GetBytes("More figures."), "report 100%_final.txt");
        var pdf = TestFiles.Pdf([["A page"]]);
        await host.IngestAsync(pdf[..(pdf.Length / 2)], "broken report.pdf");

        var reports = await host.Documents.ListAsync(RagTestHost.Admin, new DocumentQuery(Search: "REPORT"));
        var literal = await host.Documents.ListAsync(RagTestHost.Admin, new DocumentQuery(Search: "100%_"));
        var failed = await host.Documents.ListAsync(RagTestHost.Admin, new DocumentQuery(Statuses: [DocumentStatus.Failed]));
        var paged = await host.Documents.ListAsync(RagTestHost.Admin, new DocumentQuery(Skip: 1, Take: 1));

        Assert.Equal(["broken report.pdf", "report 100%_final.txt", "Report Q1.txt"], reports.Items.Select(d => d.DisplayName));
        Assert.Equal("report 100%_final.txt", Assert.Single(literal.Items).DisplayName);
        Assert.Equal("broken report.pdf", Assert.Single(failed.Items).DisplayName);
        Assert.Equal((3, "report 100%_final.txt"), (paged.Total, Assert.Single(paged.Items).DisplayName));
        Assert.All(reports.Items, d => Assert.Equal("Ada", d.UploadedByName));
    }

    [Fact]
    public async Task AnUnsupportedFileIsRefusedFromItsFirstBytesWithoutReadingTheRest()
    {
        await using var host = await RagTestHost.StartAsync();
        var image = new byte[10 << 20];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52 }.CopyTo(image, 0);
        var stream = new MemoryStream(image);

        var rejected = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            host.Documents.UploadAsync(RagTestHost.Admin, stream, "photo.pdf", []));

        Assert.Equal(RejectionKind.UnsupportedType, rejected.Kind);
        Assert.True(stream.Position <= 64 * 1024, $"{stream.Position:N0} bytes were read to refuse it.");
        Assert.False(Directory.Exists(host.StoragePath) && Directory.EnumerateFiles(host.StoragePath).Any());
        Assert.Empty(await host.Documents.ListCollectionsAsync(RagTestHost.Admin));
    }

    [Theory]
    [InlineData("http://127.0.0.1/admin")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    public async Task AUrlIntoThePrivateNetworkIsRefusedAtOnce(string url)
    {
        await using var host = await RagTestHost.StartAsync();

        var rejected = await Assert.ThrowsAsync<DocumentRejectedException>(() => host.Documents.AddUrlAsync(RagTestHost.Admin, url, null, []));

        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.Contains("not a public address", rejected.Message);
        Assert.Equal(0, (await host.Documents.ListAsync(RagTestHost.Admin)).Total);
    }
}

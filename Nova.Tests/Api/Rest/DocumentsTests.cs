using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;

namespace Nova.Tests.Api.Rest;

/// <summary>/api/v1/documents over a real port, on each database provider (see the nested classes).</summary>
public abstract class DocumentsTests(DocumentsApiFixture fixture)
{
    private static readonly byte[] Pdf = TestFiles.Pdf(
        ["Quokkaberry harvest report", "The quokkaberry harvest doubled this year."],
        ["Second page", "Storage moved to the north barn."]);

    private static readonly byte[] Docx = TestFiles.Docx("Onboarding", "New staff receive a badge on day one.", [["Item", "Owner"], ["Badge", "Reception"]]);

    private static readonly byte[] Markdown = Encoding.UTF8.GetBytes("# Release notes\n\nVersion 2 adds offline mode.\n\n## Fixes\n\nThe sync icon no longer spins.\n");

    // An ELF/PE-like binary: NUL bytes and no text, whatever its name says.
    private static readonly byte[] Executable = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, .. new byte[512]];

    [Fact]
    public async Task UploadedFilesBecomeReadyAndCanBeListedFetchedAndDeleted()
    {
        var collection = await fixture.CollectionAsync();

        using var upload = await fixture.UploadAsync(collection, ("harvest.pdf", Pdf), ("onboarding.docx", Docx), ("notes.md", Markdown));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var accepted = Data(await upload.Content.ReadAsStringAsync());
        Assert.Equal(["harvest.pdf", "onboarding.docx", "notes.md"], accepted.Select(d => d.GetProperty("name").GetString()));
        Assert.All(accepted, d => Assert.Equal("processing", d.GetProperty("status").GetString()));
        var ids = accepted.Select(d => d.GetProperty("id").GetGuid()).ToList();
        var done = new List<JsonElement>();
        foreach (var id in ids)
        {
            done.Add(await fixture.PollUntilDoneAsync(id));
        }
        Assert.All(done, d => Assert.Equal("ready", d.GetProperty("status").GetString()));
        Assert.All(done, d => Assert.True(d.GetProperty("chunk_count").GetInt32() > 0));
        Assert.All(done, d => Assert.Equal(1.0, d.GetProperty("progress").GetDouble()));
        Assert.All(done, d => Assert.Equal([collection], d.GetProperty("collection_ids").EnumerateArray().Select(c => c.GetGuid())));
        Assert.Equal(2, done[0].GetProperty("page_count").GetInt32());
        Assert.Equal(["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/markdown"],
            done.Select(d => d.GetProperty("content_type").GetString()));

        using var admin = fixture.Client(fixture.AdminToken);
        var listed = Data(await admin.GetStringAsync($"api/v1/documents?collection_id={collection}"));
        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(d => d.GetProperty("id").GetGuid()));
        Assert.Contains(await SearchAsync("quokkaberry harvest", collection), hit => hit.DocumentId == ids[0]);

        using var deleted = await admin.DeleteAsync($"api/v1/documents/{ids[0]}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"api/v1/documents/{ids[0]}")).StatusCode);
        Assert.DoesNotContain(await SearchAsync("quokkaberry harvest", collection), hit => hit.DocumentId == ids[0]);
        Assert.Equal(2, Data(await admin.GetStringAsync($"api/v1/documents?collection_id={collection}")).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/v1/documents/{ids[0]}")).StatusCode);
    }

    [Fact]
    public async Task ATruncatedPdfFailsWithItsReason()
    {
        using var upload = await fixture.UploadAsync(await fixture.CollectionAsync(), ("broken.pdf", Pdf[..(Pdf.Length / 2)]));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var failed = await fixture.PollUntilDoneAsync(Data(await upload.Content.ReadAsStringAsync()).Single().GetProperty("id").GetGuid());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.StartsWith("The PDF could not be read", failed.GetProperty("failure_reason").GetString());
    }

    [Fact]
    public async Task AnExecutableNamedPdfIsRefusedAs415()
    {
        var collection = await fixture.CollectionAsync();

        using var upload = await fixture.UploadAsync(collection, ("invoice.pdf", Executable));

        await AssertProblemAsync(upload, HttpStatusCode.UnsupportedMediaType, "not supported");
        Assert.Empty(await ListAsync(collection));
    }

    [Fact]
    public async Task OneRefusedFileKeepsNoneOfTheUpload()
    {
        var collection = await fixture.CollectionAsync();

        using var upload = await fixture.UploadAsync(collection, ("notes.md", Markdown), ("setup.pdf", Executable));

        await AssertProblemAsync(upload, HttpStatusCode.UnsupportedMediaType, "'setup.pdf'");
        Assert.Empty(await ListAsync(collection));
    }

    [Fact]
    public async Task AFileOverThePerFileLimitIs413AndNothingIsKept()
    {
        var collection = await fixture.CollectionAsync();
        // Chunked, so no length is declared: the server finds out only by reading.
        var content = new StreamedUpload(DocumentsApiFixture.MaxFileBytes + 50_000, declareLength: false, collection);
        var before = Directory.EnumerateFiles(fixture.StoragePath).ToHashSet();
        using var client = fixture.Client(fixture.AdminToken);

        using var response = await client.PostAsync("api/v1/documents", content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
        Assert.Empty(await ListAsync(collection));
        Assert.Equal(before, Directory.EnumerateFiles(fixture.StoragePath).ToHashSet());
    }

    [Fact]
    public async Task ABodyDeclaredOverTheUploadLimitIs413BeforeAnyIsSent()
    {
        var content = new StreamedUpload(64L * 1024 * 1024, declareLength: true);
        using var client = fixture.Client(fixture.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/documents") { Content = content };
        // What curl and most clients send before a large body: the server may refuse before a byte of it is sent.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
        Assert.Equal(0, content.SentBytes);
    }

    [Fact]
    public async Task AnEndlessUploadIsCutOffNearTheUploadLimit()
    {
        var content = new StreamedUpload(256L * 1024 * 1024, declareLength: false);
        using var client = fixture.Client(fixture.AdminToken);

        // The server answers 413 and then closes the connection rather than read on, so a client still
        // sending may see the connection reset before it reads the answer.
        HttpStatusCode? status = null;
        try
        {
            using var response = await client.PostAsync("api/v1/documents", content);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"Answered {status}.");
        Assert.True(content.SentBytes < content.TotalBytes / 8, $"The client sent {content.SentBytes:N0} of {content.TotalBytes:N0} bytes.");
        Assert.Empty(Directory.EnumerateFiles(fixture.StoragePath, "*.part"));
    }

    [Fact]
    public async Task AnUploadAbandonedMidwayKeepsNothing()
    {
        var collection = await fixture.CollectionAsync();
        var content = new StreamedUpload(DocumentsApiFixture.MaxFileBytes / 2, declareLength: false, collection) { StallAfter = 64 * 1024 };
        using var client = fixture.Client(fixture.AdminToken);
        using var abandon = new CancellationTokenSource();
        var upload = client.PostAsync("api/v1/documents", content, abandon.Token);
        await EventuallyAsync(() => Directory.EnumerateFiles(fixture.StoragePath, "*.part").Any(), "the server never began storing the upload");

        await abandon.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        await EventuallyAsync(() => !Directory.EnumerateFiles(fixture.StoragePath, "*.part").Any(), "the partial file was left behind");
        Assert.Empty(await ListAsync(collection));
    }

    [Fact]
    public async Task AFileUnderTheUploadLimitButOverTheDefaultBodyLimitIsAccepted()
    {
        // 200 KB of text: over Nova:Api:MaxBodyBytes would be refused elsewhere, but uploads have their own limit.
        var text = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 20_000).Select(i => $"line {i}")));
        Assert.InRange(text.Length, 100_000, DocumentsApiFixture.MaxFileBytes);

        using var upload = await fixture.UploadAsync(await fixture.CollectionAsync(), ("lines.txt", text));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("..\\..\\windows\\win.ini.md", "win.ini.md")]
    [InlineData("/var/lib/nova/data/documents/x.md", "x.md")]
    [InlineData("report\u202Eexe.md", "reportexe.md")]
    public async Task APathInTheFileNameBecomesAHarmlessDisplayName(string fileName, string shown)
    {
        var before = Directory.EnumerateFiles(fixture.StoragePath).ToHashSet();

        using var upload = await fixture.UploadAsync(await fixture.CollectionAsync(), (fileName, fileName.EndsWith(".pdf") ? Pdf : Markdown));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var document = Data(await upload.Content.ReadAsStringAsync()).Single();
        Assert.Equal(shown, document.GetProperty("name").GetString());
        var stored = Assert.Single(Directory.EnumerateFiles(fixture.StoragePath).Except(before));
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(stored));
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--b--\r\n", "Unexpected part 'note'")]
    [InlineData("multipart/form-data; boundary=b", "--b--\r\n", "no file")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n# cut short", "malformed")]
    [InlineData("multipart/form-data; boundary=b", "no boundary anywhere", "malformed")]
    [InlineData("multipart/form-data", "--b--\r\n", "boundary")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"collection_id\"\r\n\r\nnot-a-guid\r\n--b--\r\n", "collection")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n# A\r\n--b\r\nContent-Disposition: form-data; name=\"collection_id\"\r\n\r\n0193a5e0-0000-7000-8000-000000000000\r\n--b--\r\n", "before the files")]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n\r\n--b--\r\n", "empty")]
    public async Task AMalformedUploadIs400WithTheReason(string contentType, string body, string reason)
    {
        using var client = fixture.Client(fixture.AdminToken);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync("api/v1/documents", content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task AnUploadThatIsNotMultipartIs415()
    {
        using var client = fixture.Client(fixture.AdminToken);

        using var response = await client.PostAsync("api/v1/documents", new StringContent("{\"file\":\"x\"}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "multipart/form-data");
    }

    [Fact]
    public async Task MoreFilesThanAllowedIs400AndKeepsNone()
    {
        var collection = await fixture.CollectionAsync();
        var files = Enumerable.Range(0, DocumentsApiFixture.MaxUploadFiles + 1).Select(i => ($"n{i}.md", Markdown)).ToArray();

        using var upload = await fixture.UploadAsync(collection, files);

        await AssertProblemAsync(upload, HttpStatusCode.BadRequest, $"at most {DocumentsApiFixture.MaxUploadFiles} files");
        Assert.Empty(await ListAsync(collection));
    }

    [Fact]
    public async Task AnUnknownCollectionIs400()
    {
        using var upload = await fixture.UploadAsync(Guid.CreateVersion7(), ("notes.md", Markdown));

        await AssertProblemAsync(upload, HttpStatusCode.BadRequest, "collections does not exist");
    }

    [Fact]
    public async Task TheListIsPagedByLimitAndOffset()
    {
        var collection = await fixture.CollectionAsync();
        using var upload = await fixture.UploadAsync(collection, ("a.md", Markdown), ("b.md", Markdown), ("c.md", Markdown));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        using var admin = fixture.Client(fixture.AdminToken);

        var first = JsonDocument.Parse(await admin.GetStringAsync($"api/v1/documents?collection_id={collection}&limit=2")).RootElement;
        var second = JsonDocument.Parse(await admin.GetStringAsync($"api/v1/documents?collection_id={collection}&limit=2&offset=2")).RootElement;

        Assert.Equal(["c.md", "b.md"], first.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(["a.md"], second.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.False(second.GetProperty("has_more").GetBoolean());
        await AssertProblemAsync(await admin.GetAsync("api/v1/documents?limit=0"), HttpStatusCode.BadRequest, "'limit'");
        await AssertProblemAsync(await admin.GetAsync("api/v1/documents?offset=-1"), HttpStatusCode.BadRequest, "'offset'");
    }

    [Fact]
    public async Task AUsersTokenOrKeyCannotUploadOrDelete()
    {
        var collection = await fixture.CollectionAsync();
        using var upload = await fixture.UploadAsync(collection, ("notes.md", Markdown));
        var id = Data(await upload.Content.ReadAsStringAsync()).Single().GetProperty("id").GetGuid();

        foreach (var credential in new[] { fixture.UserToken, fixture.UserKey })
        {
            using var user = fixture.Client(credential);
            await AssertProblemAsync(await user.PostAsync("api/v1/documents", DocumentsApiFixture.Form(collection, ("mine.md", Markdown))),
                HttpStatusCode.Forbidden, "not allowed");
            await AssertProblemAsync(await user.DeleteAsync($"api/v1/documents/{id}"), HttpStatusCode.Forbidden, "not allowed");
        }
        Assert.Equal([id], (await ListAsync(collection)).Select(d => d.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task UsersSeeOnlyTheDocumentsOfCollectionsTheyMayRead()
    {
        var open = await fixture.CollectionAsync();
        var adminsOnly = await fixture.CollectionAsync(NovaRoles.Admin);
        using var upload = await fixture.UploadAsync(open, ("open.md", Markdown));
        using var restricted = await fixture.UploadAsync(adminsOnly, ("restricted.md", Markdown));
        var openId = Data(await upload.Content.ReadAsStringAsync()).Single().GetProperty("id").GetGuid();
        var restrictedId = Data(await restricted.Content.ReadAsStringAsync()).Single().GetProperty("id").GetGuid();
        using var user = fixture.Client(fixture.UserKey);

        var everything = Data(await user.GetStringAsync("api/v1/documents?limit=200"));
        var inRestricted = Data(await user.GetStringAsync($"api/v1/documents?collection_id={adminsOnly}"));

        Assert.Contains(openId, everything.Select(d => d.GetProperty("id").GetGuid()));
        Assert.DoesNotContain(restrictedId, everything.Select(d => d.GetProperty("id").GetGuid()));
        Assert.Empty(inRestricted);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"api/v1/documents/{openId}")).StatusCode);
        await AssertProblemAsync(await user.GetAsync($"api/v1/documents/{restrictedId}"), HttpStatusCode.NotFound, "no document");
        await AssertProblemAsync(await user.GetAsync($"api/v1/documents/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound, "no document");
    }

    [Fact]
    public async Task OnlyAdminsSeeWhereADocumentCameFromItsHashAndWhyItFailed()
    {
        var collection = await fixture.CollectionAsync();
        using var upload = await fixture.UploadAsync(collection, ("broken.pdf", Pdf[..(Pdf.Length / 2)]));
        var broken = Data(await upload.Content.ReadAsStringAsync()).Single().GetProperty("id").GetGuid();
        await fixture.PollUntilDoneAsync(broken);
        // What a document fetched from an address inside the network keeps (fetching one here would leave the machine).
        await using (var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>().CreateDbContextAsync())
        {
            await db.Set<Document>().Where(d => d.Id == broken)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.SourceUrl, "http://10.1.2.3/internal/report.pdf"));
        }
        using var admin = fixture.Client(fixture.AdminToken);
        using var user = fixture.Client(fixture.UserKey);

        var asAdmin = JsonDocument.Parse(await admin.GetStringAsync($"api/v1/documents/{broken}")).RootElement;
        Assert.NotNull(asAdmin.GetProperty("failure_reason").GetString());
        Assert.NotNull(asAdmin.GetProperty("sha256").GetString());
        Assert.Equal("http://10.1.2.3/internal/report.pdf", asAdmin.GetProperty("source_url").GetString());

        var seenByUser = Data(await user.GetStringAsync($"api/v1/documents?collection_id={collection}"))
            .Append(JsonDocument.Parse(await user.GetStringAsync($"api/v1/documents/{broken}")).RootElement)
            .ToList();
        Assert.Equal(2, seenByUser.Count);
        Assert.All(seenByUser, d => Assert.Equal("failed", d.GetProperty("status").GetString()));
        Assert.All(seenByUser, d =>
        {
            Assert.Equal(JsonValueKind.Null, d.GetProperty("failure_reason").ValueKind);
            Assert.Equal(JsonValueKind.Null, d.GetProperty("sha256").ValueKind);
            Assert.Equal(JsonValueKind.Null, d.GetProperty("source_url").ValueKind);
        });
    }

    [Fact]
    public async Task WithoutCredentialsEveryDocumentCallIs401()
    {
        using var anonymous = fixture.Client(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/v1/documents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"api/v1/documents/{Guid.CreateVersion7()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"api/v1/documents/{Guid.CreateVersion7()}")).StatusCode);
        await AssertProblemAsync(await anonymous.PostAsync("api/v1/documents", DocumentsApiFixture.Form(null, ("a.md", Markdown))),
            HttpStatusCode.Unauthorized, "access token");
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheDocumentEndpoints()
    {
        using var client = fixture.Client(null);

        var paths = JsonDocument.Parse(await client.GetStringAsync("api/openapi/v1.json")).RootElement.GetProperty("paths");

        var upload = paths.GetProperty("/api/v1/documents").GetProperty("post");
        var form = upload.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("items").GetProperty("format").GetString());
        Assert.Equal(["202", "400", "401", "403", "413", "415", "503"], upload.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.True(paths.GetProperty("/api/v1/documents").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/documents/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/v1/documents/{id}").TryGetProperty("delete", out _));
    }

    private async Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, Guid collection) =>
        await fixture.App.Services.GetRequiredService<RetrievalService>().SearchAsync(query, fixture.Admin, [collection], topK: 10);

    private async Task<List<JsonElement>> ListAsync(Guid collection)
    {
        using var admin = fixture.Client(fixture.AdminToken);
        return Data(await admin.GetStringAsync($"api/v1/documents?collection_id={collection}"));
    }

    /// <summary>Waits for something the server does on its own time (on a socket event), checking every 20 ms for up to 10 s.</summary>
    private static async Task EventuallyAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }

    private static List<JsonElement> Data(string json) => [.. JsonDocument.Parse(json).RootElement.GetProperty("data").EnumerateArray()];

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    public sealed class OnSqlite(DocumentsApiFixture.Sqlite fixture) : DocumentsTests(fixture), IClassFixture<DocumentsApiFixture.Sqlite>;

    public sealed class OnPostgres(DocumentsApiFixture.Postgres fixture) : DocumentsTests(fixture), IClassFixture<DocumentsApiFixture.Postgres>;
}

using System.Net;
using System.Text.Json;
using Nova.Fakes;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Api.Rest;

/// <summary>/api/v1/documents with <c>Nova:Rag:FileStore=S3</c>: originals go to the bucket and are read back from it.</summary>
public sealed class S3DocumentsTests(DocumentsApiFixture.S3 fixture) : IClassFixture<DocumentsApiFixture.S3>
{
    private static readonly byte[] Pdf = TestFiles.Pdf(["Quokkaberry harvest report", "The quokkaberry harvest doubled this year."]);

    [Fact]
    public async Task AnUploadIsKeptInTheBucketBecomesReadyAndARetryReadsItFromThere()
    {
        using var upload = await fixture.UploadAsync(await fixture.CollectionAsync(), ("harvest.pdf", Pdf));

        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var id = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("id").GetGuid();
        Assert.Equal("ready", (await fixture.PollUntilDoneAsync(id)).GetProperty("status").GetString());
        var key = Assert.Single(fixture.Server.Keys(S3Stores.Bucket), k => fixture.Server.Object(S3Stores.Bucket, k)!.SequenceEqual(Pdf));
        var reads = Reads(key);

        Assert.True(await fixture.Documents.RetryAsync(fixture.Admin, id));

        Assert.Equal("ready", (await fixture.PollUntilDoneAsync(id)).GetProperty("status").GetString());
        Assert.Equal(reads + 1, Reads(key));
    }

    [Fact]
    public async Task AnUploadWhileS3FailsIs503WithAClearReasonAndKeepsNothing()
    {
        var before = fixture.Server.Keys(S3Stores.Bucket).Count;
        fixture.Server.FaultFor = request => request.Method == "PUT" ? HttpStatusCode.InternalServerError : null;
        try
        {
            using var upload = await fixture.UploadAsync(await fixture.CollectionAsync(), ("harvest.pdf", Pdf));

            var body = await upload.Content.ReadAsStringAsync();
            Assert.True(upload.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)upload.StatusCode}: {body}");
            Assert.Equal("'harvest.pdf': The S3 file store could not store the file: it answered 500 (InternalError).",
                JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
            Assert.Equal(before, fixture.Server.Keys(S3Stores.Bucket).Count);
        }
        finally
        {
            fixture.Server.FaultFor = null;
        }
    }

    private int Reads(string key) => fixture.Server.Requests.Count(r => r == $"GET /{S3Stores.Bucket}/{key}");
}

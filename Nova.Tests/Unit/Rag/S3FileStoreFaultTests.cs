using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nova.Fakes;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Ingestion.S3;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Rag;

/// <summary>The S3 file store when S3 fails, refuses or is missing, and when its settings are wrong.</summary>
public sealed class S3FileStoreFaultTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 10_000).Select(i => (byte)i)];

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "answered 500")]
    [InlineData(HttpStatusCode.Forbidden, "access denied")]
    public async Task AnS3ErrorDuringUploadIsAClearErrorAndLeavesNothing(HttpStatusCode status, string said)
    {
        await using var server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        server.Fault = status;

        var error = await Assert.ThrowsAsync<FileStoreUnavailableException>(() =>
            S3Stores.Create(server).SaveAsync(new MemoryStream(Content), Content.Length, CancellationToken.None));

        Assert.Contains(said, error.Message);
        AssertTellsNoSecrets(error.Message, server);
        Assert.Empty(server.Keys(S3Stores.Bucket));
    }

    [Fact]
    public async Task AStoreThatDoesNotAnswerIsAClearErrorAndKeepsWhatItHeld()
    {
        await using var server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        var store = S3Stores.Create(server);
        var kept = await store.SaveAsync(new MemoryStream(Content), Content.Length, CancellationToken.None);
        await server.StopAsync();

        var save = await Assert.ThrowsAsync<FileStoreUnavailableException>(() => store.SaveAsync(new MemoryStream(Content), Content.Length, CancellationToken.None));
        var read = await Assert.ThrowsAsync<FileStoreUnavailableException>(() => store.OpenReadAsync(kept.Key, CancellationToken.None));

        Assert.Contains("does not answer", save.Message);
        Assert.Contains("does not answer", read.Message);
        AssertTellsNoSecrets(save.Message + read.Message, server);
        await server.RestartAsync();
        await using var again = await store.OpenReadAsync(kept.Key, CancellationToken.None);
        Assert.Equal(Content.Length, again.Length);
        Assert.Equal([kept.Key], server.Keys(S3Stores.Bucket));
    }

    [Fact]
    public async Task S3DownDuringIngestionFailsThatDocumentWithAClearReasonAndLeavesOthersReady()
    {
        await using var server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        await using var host = await RagTestHost.StartAsync(S3Stores.Settings(server).ToDictionary(s => s.Key, s => (string?)s.Value));
        var library = await host.CollectionAsync("s3");
        var first = await host.IngestAsync(TestFiles.Pdf(["Quokkaberry harvest", "The harvest doubled this year."]), "harvest.pdf", library);
        server.FaultFor = request => request.Method == "GET" ? HttpStatusCode.ServiceUnavailable : null;

        var second = await host.IngestAsync(TestFiles.Pdf(["Barn inventory", "Storage moved to the north barn."]), "barn.pdf", library);

        Assert.Equal(DocumentStatus.Failed, second.Status);
        Assert.Equal("Indexing failed: The S3 file store could not read the file: it answered 503 (ServiceUnavailable).", second.FailureReason);
        AssertTellsNoSecrets(second.FailureReason!, server);
        Assert.Equal(DocumentStatus.Ready, first.Status);
        Assert.Equal(DocumentStatus.Ready, (await host.Documents.GetAsync(RagTestHost.Admin, first.Id))!.Status);
        Assert.NotEmpty(await host.ChunksAsync(first.Id));
        Assert.Equal(2, server.Keys(S3Stores.Bucket).Count);
    }

    [Fact]
    public async Task AMissingBucketIsSaidByTheReadinessCheck()
    {
        await using var server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        var options = Options.Create(S3Stores.Options(server, "not-created-yet"));
        var check = new S3BucketCheck(S3FileStoreRegistration.CreateClient(options.Value), options, NullLogger<S3BucketCheck>.Instance);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("The S3 bucket 'not-created-yet' does not exist; create it (Nova does not).", result.Description);
        server.CreateBucket("not-created-yet");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Theory]
    [InlineData("Nova:Rag:S3:ServiceUrl", null, "Nova:Rag:S3:ServiceUrl")]
    [InlineData("Nova:Rag:S3:ServiceUrl", "minio:9000", "Nova:Rag:S3:ServiceUrl")]
    [InlineData("Nova:Rag:S3:Bucket", null, "Nova:Rag:S3:Bucket")]
    [InlineData("Nova:Rag:S3:Bucket", "Nova_Originals", "Nova:Rag:S3:Bucket")]
    [InlineData("Nova:Rag:S3:SecretKey", null, "Nova:Rag:S3:SecretKey")]
    public async Task AMissingOrWrongSettingFailsStartNamingIt(string key, string? value, string named)
    {
        await using var server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        var settings = S3Stores.Settings(server).ToDictionary(s => s.Key, s => (string?)s.Value);
        settings.Remove(key);
        if (value is not null)
        {
            settings[key] = value;
        }
        await using var database = await RagTestDatabase.CreateAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RagTestHost.StartAsync(settings, database));

        Assert.Contains($"'{named}'", error.Message);
        Assert.DoesNotContain(FakeS3Server.SecretKey, error.Message);
    }

    private static void AssertTellsNoSecrets(string message, FakeS3Server server)
    {
        Assert.DoesNotContain(FakeS3Server.AccessKey, message);
        Assert.DoesNotContain(FakeS3Server.SecretKey, message);
        Assert.DoesNotContain(server.ServiceUrl.Authority, message);
        Assert.DoesNotContain("127.0.0.1", message);
    }
}

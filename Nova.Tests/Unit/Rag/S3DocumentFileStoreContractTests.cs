using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Nova.Fakes;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Ingestion.S3;

namespace Nova.Tests.Unit.Rag;

public sealed class S3DocumentFileStoreContractTests : DocumentFileStoreContract
{
    private FakeS3Server? _server;

    protected override async Task<(IDocumentFileStore First, IDocumentFileStore Second)> CreateStoresAsync()
    {
        _server = await FakeS3Server.StartAsync(S3Stores.Bucket);
        return (S3Stores.Create(_server), S3Stores.Create(_server));
    }

    protected override Task<int> CountStoredAsync() => Task.FromResult(_server!.Keys(S3Stores.Bucket).Count);

    protected override async Task CleanupAsync() => await _server!.DisposeAsync();
}

/// <summary>
/// The contract against a real S3-compatible server: set NOVA_TEST_S3_URL (e.g. http://127.0.0.1:9000 for MinIO),
/// NOVA_TEST_S3_BUCKET (an existing bucket), NOVA_TEST_S3_ACCESS_KEY and NOVA_TEST_S3_SECRET_KEY. Each run keeps to a prefix of its own.
/// </summary>
[RequiresEnvironment("NOVA_TEST_S3_URL")]
public sealed class RealS3DocumentFileStoreContractTests : DocumentFileStoreContract
{
    private readonly S3FileStoreOptions _options = new()
    {
        ServiceUrl = new Uri(Environment.GetEnvironmentVariable("NOVA_TEST_S3_URL") ?? "http://unset.invalid/"),
        Bucket = Environment.GetEnvironmentVariable("NOVA_TEST_S3_BUCKET") ?? "nova-test",
        AccessKey = Environment.GetEnvironmentVariable("NOVA_TEST_S3_ACCESS_KEY"),
        SecretKey = Environment.GetEnvironmentVariable("NOVA_TEST_S3_SECRET_KEY"),
        Region = Environment.GetEnvironmentVariable("NOVA_TEST_S3_REGION") ?? "us-east-1",
        Prefix = $"nova-test-{Guid.NewGuid():N}/",
    };

    private AmazonS3Client? _client;

    protected override Task<(IDocumentFileStore First, IDocumentFileStore Second)> CreateStoresAsync()
    {
        _client = S3FileStoreRegistration.CreateClient(_options);
        var second = S3FileStoreRegistration.CreateClient(_options);
        return Task.FromResult<(IDocumentFileStore, IDocumentFileStore)>(
            (new S3DocumentFileStore(_client, Options.Create(_options)), new S3DocumentFileStore(second, Options.Create(_options))));
    }

    protected override async Task<int> CountStoredAsync() => (await ListAsync()).Count;

    protected override async Task CleanupAsync()
    {
        if (_client is null)
        {
            return;
        }
        foreach (var key in await ListAsync())
        {
            await _client.DeleteObjectAsync(_options.Bucket, key);
        }
        _client.Dispose();
    }

    private async Task<List<string>> ListAsync()
    {
        var listed = await _client!.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix });
        return listed.S3Objects?.Select(o => o.Key).ToList() ?? [];
    }
}

internal static class S3Stores
{
    public const string Bucket = "nova-originals";

    public static S3FileStoreOptions Options(FakeS3Server server, string bucket = Bucket) => new()
    {
        ServiceUrl = server.ServiceUrl,
        Bucket = bucket,
        AccessKey = FakeS3Server.AccessKey,
        SecretKey = FakeS3Server.SecretKey,
    };

    public static IDocumentFileStore Create(FakeS3Server server, string bucket = Bucket)
    {
        var options = Options(server, bucket);
        return new S3DocumentFileStore(S3FileStoreRegistration.CreateClient(options), Microsoft.Extensions.Options.Options.Create(options));
    }

    /// <summary>The settings that put a Nova host's originals in <paramref name="server"/>.</summary>
    public static (string Key, string Value)[] Settings(FakeS3Server server, string bucket = Bucket) =>
    [
        ("Nova:Rag:FileStore", "S3"),
        ("Nova:Rag:S3:ServiceUrl", server.ServiceUrl.ToString()),
        ("Nova:Rag:S3:Bucket", bucket),
        ("Nova:Rag:S3:AccessKey", FakeS3Server.AccessKey),
        ("Nova:Rag:S3:SecretKey", FakeS3Server.SecretKey),
    ];
}

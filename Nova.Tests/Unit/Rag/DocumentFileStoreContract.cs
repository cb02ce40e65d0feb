using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Rag.Ingestion;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// What every <see cref="IDocumentFileStore"/> must do, run against each implementation: two replicas' stores over
/// one backing store, where a file stored through one is read through the other, and a refused or failed upload leaves nothing.
/// </summary>
public abstract class DocumentFileStoreContract : IAsyncLifetime
{
    protected IDocumentFileStore First { get; private set; } = null!;

    protected IDocumentFileStore Second { get; private set; } = null!;

    /// <summary>Two stores, as two replicas would have them, over the same backing store.</summary>
    protected abstract Task<(IDocumentFileStore First, IDocumentFileStore Second)> CreateStoresAsync();

    /// <summary>How many files (or partial files) the backing store holds.</summary>
    protected abstract Task<int> CountStoredAsync();

    protected abstract Task CleanupAsync();

    public async Task InitializeAsync() => (First, Second) = await CreateStoresAsync();

    public Task DisposeAsync() => CleanupAsync();

    [ContractFact]
    public async Task AFileStoredThroughOneReplicaIsReadThroughAnother()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);

        var stored = await First.SaveAsync(content.AsMemory(0, 10), new MemoryStream(content[10..]), content.Length, CancellationToken.None);
        await using var read = await Second.OpenReadAsync(stored.Key, CancellationToken.None);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Matches("^[0-9a-f]{32}$", stored.Key);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored.Sha256);
        Assert.Equal(content[..Nova.Services.Rag.Parsing.ContentSniffer.HeadLength], stored.Head);
        Assert.True(read.CanSeek);
        Assert.Equal(content.Length, read.Length);
    }

    [ContractFact]
    public async Task AFileOverTheLimitIsRefusedAndLeavesNothing()
    {
        var error = await Assert.ThrowsAsync<FileTooLargeException>(() =>
            First.SaveAsync(new MemoryStream(new byte[200_001]), 200_000, CancellationToken.None));

        Assert.Equal(200_000, error.Limit);
        Assert.Equal(0, await CountStoredAsync());
    }

    [ContractFact]
    public async Task AnUploadThatBreaksOffLeavesNothing()
    {
        await Assert.ThrowsAsync<IOException>(() => First.SaveAsync(new BreakingStream(100_000), 1_000_000, CancellationToken.None));

        Assert.Equal(0, await CountStoredAsync());
    }

    [ContractFact]
    public async Task ADeletedFileIsGoneForEveryReplica()
    {
        var stored = await First.SaveAsync(new MemoryStream([1, 2, 3]), 10, CancellationToken.None);

        await Second.DeleteAsync(stored.Key, CancellationToken.None);

        Assert.Equal(0, await CountStoredAsync());
        await Assert.ThrowsAsync<FileNotFoundException>(() => First.OpenReadAsync(stored.Key, CancellationToken.None));
    }

    [ContractFact]
    public async Task ANameThatIsNotAGeneratedKeyIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => First.OpenReadAsync("../../etc/passwd", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => First.DeleteAsync("ABCDEF0123456789ABCDEF0123456789", CancellationToken.None));
    }

    /// <summary>An upload whose connection drops after <paramref name="length"/> bytes.</summary>
    private sealed class BreakingStream(int length) : Stream
    {
        private int _sent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent >= length)
            {
                throw new IOException("The client went away.");
            }
            var n = Math.Min(count, length - _sent);
            buffer.AsSpan(offset, n).Fill(7);
            _sent += n;
            return n;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class LocalDocumentFileStoreContractTests : DocumentFileStoreContract
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nova-files-");

    protected override Task<(IDocumentFileStore First, IDocumentFileStore Second)> CreateStoresAsync() =>
        Task.FromResult<(IDocumentFileStore, IDocumentFileStore)>((new LocalDocumentFileStore(_folder.FullName), new LocalDocumentFileStore(_folder.FullName)));

    protected override Task<int> CountStoredAsync() =>
        Task.FromResult(_folder.Exists ? _folder.GetFiles("*", SearchOption.AllDirectories).Length : 0);

    protected override Task CleanupAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresDocumentFileStoreContractTests : DocumentFileStoreContract
{
    private TestDatabase? _database;
    private readonly List<IHost> _replicas = [];

    protected override async Task<(IDocumentFileStore First, IDocumentFileStore Second)> CreateStoresAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        _replicas.Add(await NovaServices.StartAsync(_database));
        _replicas.Add(NovaServices.Build(_database));
        return (Store(_replicas[0]), Store(_replicas[1]));
    }

    protected override async Task<int> CountStoredAsync()
    {
        await using var db = _replicas[0].CreateContext();
        return await db.Set<StoredFileContent>().CountAsync();
    }

    protected override Task CleanupAsync()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
        _database?.Dispose();
        return Task.CompletedTask;
    }

    private static PostgresDocumentFileStore Store(IHost replica) =>
        new(replica.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>());
}

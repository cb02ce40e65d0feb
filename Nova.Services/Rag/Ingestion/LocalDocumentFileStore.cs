using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Uploaded bytes in the folder <c>Nova:Rag:StoragePath</c>, one file per key: the embedded default, for one machine
/// (replicas elsewhere cannot read it). Files are written to a temporary name and moved into place once complete.
/// </summary>
public sealed class LocalDocumentFileStore : IDocumentFileStore
{
    private readonly string _root;

    public LocalDocumentFileStore(IOptions<RagOptions> options, IHostEnvironment environment)
        : this(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)))
    {
    }

    internal LocalDocumentFileStore(string root) => _root = root;

    public async Task<StoredFile> SaveAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        var key = StoredFileWriter.NewKey();
        var temporary = PathOf(key) + ".part";
        try
        {
            StoredFile stored;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                stored = await StoredFileWriter.CopyAsync(key, head, content, maxBytes, file, cancellationToken);
            }
            File.Move(temporary, PathOf(key));
            return stored;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.RandomAccess));

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length > 0)
        {
            File.Delete(PathOf(key));
        }
        return Task.CompletedTask;
    }

    private string PathOf(string key) => Path.Combine(_root, StoredFileWriter.Checked(key));
}

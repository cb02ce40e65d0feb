using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion;

/// <summary>A stored upload: its generated key, size, hash and first bytes (for sniffing).</summary>
public sealed record StoredFile(string Key, long SizeBytes, string Sha256, byte[] Head);

/// <summary>The stream is longer than allowed; nothing was kept.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Uploaded bytes on disk under generated keys (32 hex digits). Names from users never reach a path.
/// Files are written to a temporary name and moved into place once complete.
/// </summary>
public sealed class DocumentFileStore
{
    private readonly string _root;

    public DocumentFileStore(IOptions<RagOptions> options, IHostEnvironment environment)
        : this(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)))
    {
    }

    internal DocumentFileStore(string root) => _root = root;

    public Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        SaveAsync(ReadOnlyMemory<byte>.Empty, content, maxBytes, cancellationToken);

    /// <summary>Stores <paramref name="head"/> followed by the rest of <paramref name="content"/> (bytes already read to sniff the type).</summary>
    public async Task<StoredFile> SaveAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_root);
        var key = Guid.NewGuid().ToString("N");
        var temporary = PathOf(key) + ".part";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sniffed = new MemoryStream();
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                async Task AppendAsync(ReadOnlyMemory<byte> bytes)
                {
                    size += bytes.Length;
                    if (size > maxBytes)
                    {
                        throw new FileTooLargeException(maxBytes);
                    }
                    hash.AppendData(bytes.Span);
                    if (sniffed.Length < Parsing.ContentSniffer.HeadLength)
                    {
                        sniffed.Write(bytes.Span[..(int)Math.Min(bytes.Length, Parsing.ContentSniffer.HeadLength - sniffed.Length)]);
                    }
                    await file.WriteAsync(bytes, cancellationToken);
                }

                await AppendAsync(head);
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await AppendAsync(buffer.AsMemory(0, read));
                }
            }
            File.Move(temporary, PathOf(key));
            return new StoredFile(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()), sniffed.ToArray());
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.RandomAccess);

    public void Delete(string key)
    {
        if (key.Length > 0)
        {
            File.Delete(PathOf(key));
        }
    }

    private string PathOf(string key)
    {
        if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a storage key.", nameof(key));
        }
        return Path.Combine(_root, key);
    }
}

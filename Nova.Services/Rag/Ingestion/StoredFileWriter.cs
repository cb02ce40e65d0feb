using System.Security.Cryptography;

namespace Nova.Services.Rag.Ingestion;

/// <summary>Generated storage keys, and the copy of an upload every file store makes: counted against the limit, hashed, its head kept.</summary>
internal static class StoredFileWriter
{
    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>Throws unless <paramref name="key"/> is one <see cref="NewKey"/> could have made.</summary>
    public static string Checked(string key) =>
        key.Length == StoredFileContent.KeyLength && key.All(char.IsAsciiHexDigitLower) ? key : throw new ArgumentException("Not a storage key.", nameof(key));

    public static async Task<StoredFile> CopyAsync(string key, ReadOnlyMemory<byte> head, Stream content, long maxBytes, Stream destination,
        CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sniffed = new MemoryStream();
        long size = 0;

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
            await destination.WriteAsync(bytes, cancellationToken);
        }

        await AppendAsync(head);
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await AppendAsync(buffer.AsMemory(0, read));
        }
        return new StoredFile(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()), sniffed.ToArray());
    }

    /// <summary>A scratch file in the system's temporary folder, removed when closed.</summary>
    public static FileStream Scratch() => new(Path.Combine(Path.GetTempPath(), $"nova-{NewKey()}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
}

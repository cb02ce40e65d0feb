namespace Nova.Services.Rag.Ingestion;

/// <summary>A stored upload: its generated key, size, hash and first bytes (for sniffing).</summary>
public sealed record StoredFile(string Key, long SizeBytes, string Sha256, byte[] Head);

/// <summary>The stream is longer than allowed; nothing was kept.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// The backing store failed (unreachable, refused, broken); the message is fit for an admin's screen: no host names or
/// credentials, which stay in <see cref="Exception.InnerException"/> for the log. What was already stored is untouched.
/// </summary>
public sealed class FileStoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Where <c>Nova:Rag:FileStore</c> keeps uploaded originals.</summary>
public enum DocumentFileStoreKind
{
    /// <summary>The folder <c>Nova:Rag:StoragePath</c>: one machine.</summary>
    Local,

    /// <summary>The database's <c>RagFiles</c> table: every replica on one PostgreSQL.</summary>
    Postgres,

    /// <summary>An S3-compatible bucket (<c>Nova:Rag:S3</c>): MinIO, Ceph, Garage or AWS, shared by every replica.</summary>
    S3,
}

/// <summary>
/// Where uploaded originals are kept, under generated keys (32 lower-case hex digits): names from users never reach
/// a path or a row key. Chosen by <c>Nova:Rag:FileStore</c>: the local folder on one machine, the database when
/// replicas share PostgreSQL. A refused or failed upload leaves nothing behind.
/// </summary>
public interface IDocumentFileStore
{
    /// <summary>
    /// Stores <paramref name="head"/> (bytes already read to sniff the type) followed by the rest of <paramref name="content"/>,
    /// refusing it with <see cref="FileTooLargeException"/> as soon as it passes <paramref name="maxBytes"/>.
    /// </summary>
    Task<StoredFile> SaveAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken);

    Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        SaveAsync(ReadOnlyMemory<byte>.Empty, content, maxBytes, cancellationToken);

    /// <summary>The stored bytes as a seekable stream (parsers of PDF and DOCX seek); <see cref="FileNotFoundException"/> when gone.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes a file; nothing happens for an empty key or one already gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

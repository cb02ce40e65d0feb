using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion.S3;

/// <summary>
/// Uploaded bytes as objects in an S3-compatible bucket (<c>Nova:Rag:S3</c>), one per key, so that every replica reads
/// them. An upload is spooled to a scratch file (where the limit, hash and head are taken) and then sent in one PutObject
/// from that file, which S3 stores whole or not at all; a read downloads into a scratch file that parsers may seek.
/// Failures of the store become <see cref="FileStoreUnavailableException"/>.
/// </summary>
public sealed class S3DocumentFileStore(IAmazonS3 client, IOptions<S3FileStoreOptions> options) : IDocumentFileStore
{
    private readonly S3FileStoreOptions _options = options.Value;

    public async Task<StoredFile> SaveAsync(ReadOnlyMemory<byte> head, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var key = StoredFileWriter.NewKey();
        await using var spool = StoredFileWriter.Scratch();
        var stored = await StoredFileWriter.CopyAsync(key, head, content, maxBytes, spool, cancellationToken);
        spool.Position = 0;
        await CallAsync(() => client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKey(key),
            InputStream = spool,
            AutoCloseStream = false,
            ContentType = "application/octet-stream",
            // One signed body rather than aws-chunked frames: every S3-compatible server accepts it, and the spool is seekable.
            UseChunkEncoding = false,
        }, cancellationToken), "store the file");
        return stored;
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(StoredFileWriter.Checked(key));
        var copy = StoredFileWriter.Scratch();
        try
        {
            await CallAsync(async () =>
            {
                using var response = await client.GetObjectAsync(_options.Bucket, objectKey, cancellationToken);
                await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            }, "read the file");
            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            return;
        }
        var objectKey = ObjectKey(StoredFileWriter.Checked(key));
        // S3 answers a delete of a missing object with success, so a second delete is as quiet as the local store's.
        await CallAsync(() => client.DeleteObjectAsync(_options.Bucket, objectKey, cancellationToken), "delete the file");
    }

    private string ObjectKey(string key) => _options.Prefix + key;

    private static async Task CallAsync(Func<Task> call, string what)
    {
        try
        {
            await call();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchKey")
        {
            throw new FileNotFoundException("No stored file has this key.", e);
        }
        catch (Exception e) when (Describe(e) is { } problem)
        {
            throw new FileStoreUnavailableException($"The S3 file store could not {what}: {problem}.", e);
        }
    }

    /// <summary>What went wrong, in words without hosts or credentials; null for what is not the store's failure (cancellation).</summary>
    internal static string? Describe(Exception e) => e switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } s => $"access denied ({Code(s)}); check Nova:Rag:S3:AccessKey and SecretKey",
        AmazonServiceException { StatusCode: HttpStatusCode.NotFound, ErrorCode: "NoSuchBucket" } => "the bucket does not exist",
        AmazonServiceException { StatusCode: > 0 } s => $"it answered {(int)s.StatusCode} ({Code(s)})",
        AmazonClientException or AmazonServiceException or HttpRequestException or IOException => "it does not answer",
        _ => null,
    };

    private static string Code(AmazonServiceException e) => string.IsNullOrEmpty(e.ErrorCode) ? "no error code" : e.ErrorCode;
}

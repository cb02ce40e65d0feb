using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// A multipart upload of one file made up as it is sent (a PDF header, then filler), counting what the
/// server actually pulled from the client. Without a declared length it goes chunked.
/// </summary>
internal sealed class StreamedUpload : HttpContent
{
    private const string Boundary = "nova-test-boundary";
    private readonly byte[] _head;
    private readonly byte[] _tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
    private readonly long _fileBytes;
    private readonly bool _declareLength;
    private long _sent;

    public StreamedUpload(long fileBytes, bool declareLength, Guid? collectionId = null)
    {
        _fileBytes = fileBytes;
        _declareLength = declareLength;
        var collection = collectionId is { } id
            ? $"--{Boundary}\r\nContent-Disposition: form-data; name=\"collection_id\"\r\n\r\n{id}\r\n"
            : "";
        _head = Encoding.ASCII.GetBytes(collection +
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n");
        Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
    }

    /// <summary>When set, the upload stops sending after this many bytes of the file and waits until it is cancelled.</summary>
    public long? StallAfter { get; init; }

    public long TotalBytes => _head.Length + _fileBytes + _tail.Length;

    /// <summary>Bytes the server took off the connection (plus what the sockets buffered).</summary>
    public long SentBytes => Interlocked.Read(ref _sent);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await WriteAsync(stream, _head);
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'x');
        for (var written = 0L; written < _fileBytes; written += filler.Length)
        {
            if (written >= StallAfter)
            {
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            await WriteAsync(stream, filler.AsMemory(0, (int)Math.Min(filler.Length, _fileBytes - written)));
        }
        await WriteAsync(stream, _tail);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _declareLength ? TotalBytes : 0;
        return _declareLength;
    }

    private async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes);
        Interlocked.Add(ref _sent, bytes.Length);
    }
}

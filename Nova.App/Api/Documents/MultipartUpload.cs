using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Nova.App.Api.Documents;

/// <summary>One file of an upload. <see cref="Content"/> streams from the request and is readable until the next file is asked for.</summary>
internal sealed record UploadedFile(string? FileName, Stream Content, IReadOnlyList<Guid> CollectionIds);

/// <summary>The upload request itself is wrong; <see cref="Status"/> is 400 or 415 and the message says why.</summary>
internal sealed class UploadRejectedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Reads a multipart/form-data upload as a stream of files, section by section, without buffering:
/// each file's bytes go straight from the socket to whoever reads <see cref="UploadedFile.Content"/>.
/// <c>collection_id</c> fields apply to all files and must come before them, since a file is
/// processed as it arrives.
/// </summary>
internal static class MultipartUpload
{
    public const string FileField = "file";
    public const string CollectionField = "collection_id";

    // RFC 2046 caps a boundary at 70 characters; a Guid in text is 36 (plus braces or quotes).
    private const int MaxBoundaryLength = 70;
    private const int MaxFieldBytes = 64;

    public static async IAsyncEnumerable<UploadedFile> ReadAsync(
        HttpRequest request, int maxFiles, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(Boundary(request.ContentType), request.Body);
        var collections = new List<Guid>();
        var files = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed("Each part needs a 'Content-Disposition: form-data' header.");
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (name == FileField && disposition.IsFileDisposition())
            {
                if (++files > maxFiles)
                {
                    throw Malformed($"An upload may carry at most {maxFiles} files.");
                }
                yield return new UploadedFile(FileName(disposition), section.Body, [.. collections]);
            }
            else if (name == CollectionField && !disposition.IsFileDisposition())
            {
                if (files > 0)
                {
                    throw Malformed($"'{CollectionField}' fields must come before the files.");
                }
                collections.Add(await ReadCollectionIdAsync(section.Body, cancellationToken));
            }
            else
            {
                throw Malformed($"Unexpected part '{name}'. Send files as '{FileField}' (with a file name) and optional '{CollectionField}' fields before them.");
            }
        }
        if (files == 0)
        {
            throw Malformed($"The upload has no file. Send each file as a '{FileField}' part.");
        }
    }

    private static string Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new UploadRejectedException(StatusCodes.Status415UnsupportedMediaType, "Send the files as multipart/form-data.");
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            throw Malformed($"The multipart boundary is missing or longer than {MaxBoundaryLength} characters.");
        }
        return boundary;
    }

    private static string? FileName(ContentDispositionHeaderValue disposition) =>
        disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;

    private static async Task<Guid> ReadCollectionIdAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        var text = length > MaxFieldBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
        return Guid.TryParse(text, out var id) ? id : throw Malformed($"'{CollectionField}' must be a collection's id.");
    }

    private static UploadRejectedException Malformed(string message) => new(StatusCodes.Status400BadRequest, message);
}

using System.IO.Compression;

namespace Nova.Services.Rag.Parsing;

/// <summary>
/// Checks a zip's central directory before anything is decompressed: entry count, per-entry and
/// total uncompressed size, and compression ratio. The declared sizes can lie, so the parser also
/// caps what it actually reads (<c>OpenSettings.MaxCharactersInPart</c>).
/// </summary>
internal static class ZipGuard
{
    private const int MaxEntries = 10_000;
    private const long RatioFloorBytes = 1024 * 1024;

    public static void Check(Stream content, ParseLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new DocumentParseException($"The archive has {zip.Entries.Count:N0} entries; at most {MaxEntries:N0} are accepted.");
            }
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > limits.MaxUncompressedBytes)
                {
                    throw Bomb($"an entry expands to {entry.Length:N0} bytes");
                }
                if (entry.Length > RatioFloorBytes && entry.Length > entry.CompressedLength * (long)limits.MaxCompressionRatio)
                {
                    throw Bomb($"an entry is compressed {entry.Length / Math.Max(1, entry.CompressedLength):N0} to 1");
                }
                total += entry.Length;
                if (total > limits.MaxUncompressedBytes)
                {
                    throw Bomb($"it expands to more than {limits.MaxUncompressedBytes:N0} bytes");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new DocumentParseException($"The file is not a valid zip archive: {e.Message}", e);
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static DocumentParseException Bomb(string why) => new($"The archive was refused as a possible zip bomb: {why}.");
}

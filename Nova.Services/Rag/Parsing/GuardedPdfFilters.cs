using System.IO.Compression;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace Nova.Services.Rag.Parsing;

/// <summary>
/// PdfPig's stream filters behind caps. A Flate stream is first inflated into nothing but a count,
/// and refused before PdfPig inflates it for real when it would pass
/// <see cref="ParseLimits.MaxUncompressedBytes"/> or expand more than
/// <see cref="ParseLimits.MaxCompressionRatio"/> to 1 (a 2 KB PDF can hold gigabytes of zeros).
/// LZW, which is no longer written since PDF 1.2, is refused when its worst case could pass the
/// cap. Every decode checks the parse's cancellation, so a parse past its time stops at the next
/// stream.
/// </summary>
internal sealed class GuardedPdfFilters(ParseLimits limits, CancellationToken cancellationToken) : IFilterProvider
{
    private const long RatioFloorBytes = 1024 * 1024;

    // One 12-bit code can stand for at most 4,096 bytes.
    private const long LzwWorstRatio = 4096 * 8 / 9;

    /// <summary>The first refusal: PdfPig may catch what a filter throws and carry on, so the parser asks again.</summary>
    public DocumentParseException? Refusal { get; private set; }

    public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => Guard(DefaultFilterProvider.Instance.GetFilters(dictionary));

    public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => Guard(DefaultFilterProvider.Instance.GetNamedFilters(names));

    public IReadOnlyList<IFilter> GetAllFilters() => Guard(DefaultFilterProvider.Instance.GetAllFilters());

    public void ThrowIfRefused()
    {
        if (Refusal is not null)
        {
            throw Refusal;
        }
    }

    private IReadOnlyList<IFilter> Guard(IReadOnlyList<IFilter> filters) => [.. filters.Select(f => new GuardedFilter(f, this))];

    private Memory<byte> Decode(IFilter inner, Memory<byte> input, DictionaryToken dictionary, IFilterProvider provider, int index)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfRefused();
        switch (inner)
        {
            case FlateFilter:
                Check(input.Length, InflatedLength(input.Span, limits.MaxUncompressedBytes + 1));
                break;
            case LzwFilter when input.Length * LzwWorstRatio > limits.MaxUncompressedBytes:
                Refuse($"an LZW stream of {input.Length:N0} bytes could expand past {limits.MaxUncompressedBytes:N0} bytes");
                break;
        }
        var decoded = inner.Decode(input, dictionary, provider, index);
        Check(input.Length, decoded.Length);
        return decoded;
    }

    private void Check(long encodedLength, long decodedLength)
    {
        if (decodedLength > limits.MaxUncompressedBytes)
        {
            Refuse($"a stream expands to more than {limits.MaxUncompressedBytes:N0} bytes");
        }
        if (decodedLength > RatioFloorBytes && decodedLength > Math.Max(1, encodedLength) * limits.MaxCompressionRatio)
        {
            Refuse($"a stream is compressed {decodedLength / Math.Max(1, encodedLength):N0} to 1");
        }
    }

    private void Refuse(string why)
    {
        Refusal ??= new DocumentParseException($"The PDF was refused as a possible decompression bomb: {why}.");
        throw Refusal;
    }

    /// <summary>How many bytes the zlib data inflates to, counting no further than <paramref name="cap"/>; a damaged stream counts what inflated.</summary>
    private static long InflatedLength(ReadOnlySpan<byte> zlib, long cap)
    {
        if (zlib.Length < 3)
        {
            return 0;
        }
        // PdfPig skips the two-byte zlib header and inflates the raw deflate data after it; count the same way.
        using var input = new MemoryStream(zlib[2..].ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            int read;
            while (total < cap && (read = inflater.Read(buffer)) > 0)
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            // Damaged data: PdfPig decides what it makes of it; what inflated so far still counts.
        }
        return total;
    }

    private sealed class GuardedFilter(IFilter inner, GuardedPdfFilters guard) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex) =>
            guard.Decode(inner, input, streamDictionary, filterProvider, filterIndex);
    }
}

namespace Nova.Services.Rag.Parsing;

/// <summary>A paragraph-sized piece of text with where it sits: page and the headings above it.</summary>
public sealed record ParsedBlock(string Text, int? Page, IReadOnlyList<string> Headings);

/// <summary>What a parser extracted from a file, in reading order.</summary>
public sealed record ParsedDocument(IReadOnlyList<ParsedBlock> Blocks, int? PageCount);

/// <summary>The file cannot be ingested; the message is shown to admins as the failure reason.</summary>
public sealed class DocumentParseException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>Caps applied while parsing one file.</summary>
public sealed record ParseLimits(int MaxPages, int MaxTextChars, long MaxUncompressedBytes, int MaxCompressionRatio)
{
    public static ParseLimits From(RagOptions options) =>
        new(options.MaxPages, options.MaxTextChars, options.MaxUncompressedBytes, options.MaxCompressionRatio);
}

/// <summary>One file format.</summary>
public interface IDocumentParser
{
    DocumentKind Kind { get; }

    /// <summary>Parses <paramref name="content"/> (seekable); throws <see cref="DocumentParseException"/> with a readable reason.</summary>
    ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken);
}

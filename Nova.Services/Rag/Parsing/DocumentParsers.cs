namespace Nova.Services.Rag.Parsing;

/// <summary>Picks the parser for a file by sniffing its content.</summary>
public sealed class DocumentParsers
{
    private readonly Dictionary<DocumentKind, IDocumentParser> _parsers;

    public DocumentParsers(IEnumerable<IDocumentParser> parsers) => _parsers = parsers.ToDictionary(p => p.Kind);

    internal static DocumentParsers CreateDefault() =>
        new([new PdfParser(), new DocxParser(), new HtmlParser(), new MarkdownParser(), new PlainTextParser()]);

    /// <summary>Parses a seekable stream whose kind was detected by <see cref="ContentSniffer"/>.</summary>
    public ParsedDocument Parse(DocumentKind kind, Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        if (!_parsers.TryGetValue(kind, out var parser))
        {
            throw new DocumentParseException($"No parser for {kind}.");
        }
        content.Position = 0;
        return parser.Parse(content, limits, cancellationToken);
    }
}

namespace Nova.Services.Rag.Parsing;

/// <summary>Plain text: paragraphs are separated by blank lines.</summary>
internal sealed class PlainTextParser : IDocumentParser
{
    public DocumentKind Kind => DocumentKind.Text;

    public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        var text = TextDecoding.ReadAll(content).Replace("\r\n", "\n");
        var collector = new BlockCollector(limits);
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            cancellationToken.ThrowIfCancellationRequested();
            collector.Add(paragraph, null, []);
        }
        return new ParsedDocument(collector.Blocks, null);
    }
}

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Nova.Services.Rag.Parsing;

/// <summary>DOCX through the Open XML SDK: headings (by style or outline level), paragraphs and tables, after the zip guard.</summary>
internal sealed class DocxParser : IDocumentParser
{
    public DocumentKind Kind => DocumentKind.Docx;

    public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        ZipGuard.Check(content, limits);
        try
        {
            var settings = new OpenSettings { MaxCharactersInPart = Math.Max(limits.MaxTextChars * 8L, 1_000_000) };
            using var word = WordprocessingDocument.Open(content, isEditable: false, settings);
            var body = word.MainDocumentPart?.Document?.Body
                       ?? throw new DocumentParseException("The archive is not a Word document (no main document part).");
            var levels = StyleLevels(word.MainDocumentPart!.StyleDefinitionsPart?.Styles);
            var walker = new Walker(new BlockCollector(limits), levels, cancellationToken);
            walker.Visit(body);
            return new ParsedDocument(walker.Collector.Blocks, null);
        }
        catch (Exception e) when (e is not (DocumentParseException or OperationCanceledException or OutOfMemoryException))
        {
            throw new DocumentParseException($"The Word document could not be read: {e.Message}", e);
        }
    }

    /// <summary>Style id → heading level, from the style's name ("heading 2") or its outline level.</summary>
    private static Dictionary<string, int> StyleLevels(Styles? styles)
    {
        var levels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var style in styles?.Elements<Style>() ?? [])
        {
            var id = style.StyleId?.Value;
            if (id is null)
            {
                continue;
            }
            var name = style.StyleName?.Val?.Value ?? "";
            var outline = style.StyleParagraphProperties?.OutlineLevel?.Val?.Value;
            if (name.Equals("title", StringComparison.OrdinalIgnoreCase))
            {
                levels[id] = 1;
            }
            else if (name.StartsWith("heading ", StringComparison.OrdinalIgnoreCase) && int.TryParse(name[8..], out var level))
            {
                levels[id] = level;
            }
            else if (outline is { } o && o < 9)
            {
                levels[id] = o + 1;
            }
        }
        return levels;
    }

    private sealed class Walker(BlockCollector collector, Dictionary<string, int> styleLevels, CancellationToken cancellationToken)
    {
        private readonly HeadingStack _headings = new();

        public BlockCollector Collector => collector;

        public void Visit(OpenXmlElement element)
        {
            foreach (var child in element.ChildElements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (child)
                {
                    case Paragraph paragraph:
                        VisitParagraph(paragraph);
                        break;
                    case Table table:
                        VisitTable(table);
                        break;
                    default:
                        Visit(child);
                        break;
                }
            }
        }

        private void VisitParagraph(Paragraph paragraph)
        {
            var text = paragraph.InnerText;
            if (HeadingLevel(paragraph) is { } level)
            {
                _headings.Push(level, text);
            }
            else
            {
                collector.Add(text, null, _headings.Current);
            }
        }

        private void VisitTable(Table table)
        {
            var rows = table.Elements<TableRow>()
                .Select(row => string.Join(" | ", row.Elements<TableCell>().Select(c => c.InnerText.Trim())))
                .Where(row => row.Trim(' ', '|').Length > 0);
            collector.Add(string.Join('\n', rows), null, _headings.Current);
        }

        private int? HeadingLevel(Paragraph paragraph)
        {
            var properties = paragraph.ParagraphProperties;
            if (properties?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
            {
                return outline + 1;
            }
            var styleId = properties?.ParagraphStyleId?.Val?.Value;
            if (styleId is null)
            {
                return null;
            }
            if (styleLevels.TryGetValue(styleId, out var level))
            {
                return level;
            }
            // Documents written without a styles part still name their heading styles "HeadingN".
            return styleId.StartsWith("Heading", StringComparison.OrdinalIgnoreCase) && int.TryParse(styleId[7..], out var n) ? n : null;
        }
    }
}

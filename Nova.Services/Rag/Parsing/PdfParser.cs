using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Nova.Services.Rag.Parsing;

/// <summary>
/// PDF through PdfPig: text per page in content order, page numbers kept. Loops of references and
/// decompression bombs are refused before PdfPig meets them (<see cref="PdfReferenceLoops"/>,
/// <see cref="GuardedPdfFilters"/>).
/// </summary>
internal sealed class PdfParser : IDocumentParser
{
    public DocumentKind Kind => DocumentKind.Pdf;

    public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        GuardedPdfFilters? filters = null;
        try
        {
            PdfReferenceLoops.Scan(content);
            filters = new GuardedPdfFilters(limits, cancellationToken);
            using var pdf = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = false, SkipMissingFonts = true, FilterProvider = filters });
            if (pdf.NumberOfPages > limits.MaxPages)
            {
                throw new DocumentParseException($"The PDF has {pdf.NumberOfPages:N0} pages; at most {limits.MaxPages:N0} are accepted.");
            }
            var collector = new BlockCollector(limits);
            for (var number = 1; number <= pdf.NumberOfPages; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var page = pdf.GetPage(number);
                var text = ContentOrderTextExtractor.GetText(page);
                filters.ThrowIfRefused();
                foreach (var paragraph in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    collector.Add(paragraph, number, []);
                }
            }
            return new ParsedDocument(collector.Blocks, pdf.NumberOfPages);
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new DocumentParseException("The PDF is encrypted.", e);
        }
        catch (Exception e) when (filters?.Refusal is { } refusal && e != refusal)
        {
            throw new DocumentParseException(refusal.Message, e);
        }
        catch (Exception e) when (e is not (DocumentParseException or OperationCanceledException or OutOfMemoryException))
        {
            // PdfPig throws many exception types on damaged files; all mean the same to an admin.
            throw new DocumentParseException($"The PDF could not be read: {e.Message}", e);
        }
    }
}

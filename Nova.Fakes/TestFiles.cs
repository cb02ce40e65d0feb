using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Nova.Fakes;

/// <summary>Real files of each format, generated with the libraries that write them.</summary>
public static class TestFiles
{
    public static byte[] Pdf(params string[][] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var lines in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            var y = 780.0;
            foreach (var line in lines)
            {
                page.AddText(line, 11, new PdfPoint(40, y), font);
                y -= 16;
            }
        }
        return builder.Build();
    }

    public static byte[] Docx(string heading, string paragraph, string[][] table)
    {
        using var buffer = new MemoryStream();
        using (var word = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var rows = table.Select(r => new TableRow(r.Select(c => new TableCell(new Paragraph(new Run(new Text(c)))))));
            main.Document = new Document(new Body(
                new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text(heading))),
                new Paragraph(new Run(new Text(paragraph))),
                new Table(rows)));
        }
        return buffer.ToArray();
    }

    /// <summary>A longer document: per section a Heading1 and its paragraphs.</summary>
    public static byte[] Docx(IEnumerable<(string Heading, string[] Paragraphs)> sections)
    {
        using var buffer = new MemoryStream();
        using (var word = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var body = new Body();
            foreach (var (heading, paragraphs) in sections)
            {
                body.Append(new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text(heading))));
                body.Append(paragraphs.Select(p => new Paragraph(new Run(new Text(p)))));
            }
            word.AddMainDocumentPart().Document = new Document(body);
        }
        return buffer.ToArray();
    }

    /// <summary>A zip whose document.xml declares and holds far more bytes than it takes compressed.</summary>
    public static byte[] ZipBombDocx(int uncompressedBytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var types = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
            {
                types.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            }
            using var document = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'A');
            for (var written = 0; written < uncompressedBytes; written += block.Length)
            {
                document.Write(block, 0, Math.Min(block.Length, uncompressedBytes - written));
            }
        }
        return buffer.ToArray();
    }
}

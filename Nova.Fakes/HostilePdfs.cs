using System.IO.Compression;
using System.Text;

namespace Nova.Fakes;

/// <summary>PDFs written by hand with structure no honest writer produces: decompression bombs and loops of references.</summary>
public static class HostilePdfs
{
    private const string Font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

    /// <summary>One page whose content stream is <paramref name="zeros"/> zero bytes, deflated once or twice over.</summary>
    public static byte[] FlateBomb(long zeros, bool deflateTwice)
    {
        var once = Deflate(zeros);
        var data = deflateTwice ? Deflate(once) : once;
        return OnePage(Stream(deflateTwice ? "/Filter [/FlateDecode /FlateDecode]" : "/Filter /FlateDecode", data));
    }

    /// <summary>One page whose content is object 4, which is only "6 0 R", where object 6 is only "4 0 R".</summary>
    public static byte[] ReferenceLoop() => Build([
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        "6 0 R",
        Font,
        "4 0 R"]);

    /// <summary>
    /// The same loop with objects 4 and 6 inside an object stream (PDF 1.5), found through a
    /// cross-reference stream; the object stream deflated or stored as it is.
    /// </summary>
    public static byte[] ReferenceLoopInObjectStream(bool deflated)
    {
        const string members = "4 0 6 6 ";
        var objectStreamData = Encoding.Latin1.GetBytes(members + "6 0 R 4 0 R");
        var data = deflated ? Deflate(objectStreamData) : objectStreamData;
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new Dictionary<int, int>();
        void Add(int number, string body)
        {
            offsets[number] = Encoding.Latin1.GetByteCount(pdf.ToString());
            pdf.Append($"{number} 0 obj\n{body}\nendobj\n");
        }
        Add(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Add(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Add(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>");
        Add(5, Font);
        Add(7, Stream($"/Type /ObjStm /N 2 /First {members.Length}{(deflated ? " /Filter /FlateDecode" : "")}", data));
        var xrefOffset = Encoding.Latin1.GetByteCount(pdf.ToString());
        offsets[8] = xrefOffset;
        // Rows of /W [1 4 2]: type, then offset (or object stream number), then generation (or index in the stream).
        var rows = new List<byte>();
        for (var number = 0; number <= 8; number++)
        {
            (byte Type, int Field2, int Field3) row = number switch
            {
                0 => (0, 0, 65535),
                4 => (2, 7, 0),
                6 => (2, 7, 1),
                _ => (1, offsets[number], 0),
            };
            rows.Add(row.Type);
            rows.AddRange([(byte)(row.Field2 >> 24), (byte)(row.Field2 >> 16), (byte)(row.Field2 >> 8), (byte)row.Field2]);
            rows.AddRange([(byte)(row.Field3 >> 8), (byte)row.Field3]);
        }
        pdf.Append($"8 0 obj\n{Stream("/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R", [.. rows])}\nendobj\n");
        pdf.Append($"startxref\n{xrefOffset}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    private static byte[] OnePage(string contents) => Build([
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        contents,
        Font]);

    /// <summary>Objects numbered from 1 in order, object 1 the catalog, with a correct cross-reference table.</summary>
    private static byte[] Build(IReadOnlyList<string> objects)
    {
        var pdf = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }
        pdf.Append($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    // Binary stream data travels through the Latin-1 string one byte per character.
    private static string Stream(string dictionary, byte[] data) =>
        $"<< {dictionary} /Length {data.Length} >>\nstream\n{Encoding.Latin1.GetString(data)}\nendstream";

    /// <summary>zlib data for that many zero bytes, written without ever holding them; zeros compress as well at the fastest level.</summary>
    private static byte[] Deflate(long zeros)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var block = new byte[1 << 20];
            for (long written = 0; written < zeros; written += block.Length)
            {
                zlib.Write(block, 0, (int)Math.Min(block.Length, zeros - written));
            }
        }
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Services.Rag.Parsing;

/// <summary>
/// Finds objects that are nothing but a reference to another object ("4 0 obj 6 0 R endobj") and
/// refuses a file where such references go round in a loop. PdfPig follows such a chain by
/// recursion without noticing the loop, and the stack overflow that ends it cannot be caught: it
/// would take the whole server down. Members of object streams (PDF 1.5) need no scan: PdfPig
/// resolves them without that recursion and fails on a loop with an exception of its own.
/// </summary>
internal static partial class PdfReferenceLoops
{
    /// <summary>Reads the file's plain (not stream-compressed) objects; throws when they loop.</summary>
    public static void Scan(Stream content)
    {
        var aliases = new Dictionary<int, int>();
        content.Position = 0;
        using (var reader = new StreamReader(content, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true))
        {
            foreach (Match alias in AliasObject().Matches(reader.ReadToEnd()))
            {
                aliases[int.Parse(alias.Groups[1].ValueSpan)] = int.Parse(alias.Groups[2].ValueSpan);
            }
        }
        content.Position = 0;
        ThrowOnLoop(aliases);
    }

    private static void ThrowOnLoop(Dictionary<int, int> aliases)
    {
        var done = new HashSet<int>();
        foreach (var start in aliases.Keys)
        {
            var path = new HashSet<int>();
            for (var current = start; aliases.TryGetValue(current, out var next) && !done.Contains(current); current = next)
            {
                if (!path.Add(current))
                {
                    throw new DocumentParseException($"The PDF was refused: its object {current} refers to itself through a loop of references.");
                }
            }
            done.UnionWith(path);
        }
    }

    [GeneratedRegex(@"(?<![0-9])([0-9]{1,9})\s+[0-9]{1,5}\s+obj\s*([0-9]{1,9})\s+[0-9]{1,5}\s+R\s*endobj", RegexOptions.CultureInvariant)]
    private static partial Regex AliasObject();
}

using System.Text;

namespace Nova.Services.Rag.Parsing;

/// <summary>
/// Decides the format from the first bytes of a file. The name is never trusted for binary formats;
/// it only tells Markdown from plain text, which are both text and parse safely either way.
/// </summary>
public static class ContentSniffer
{
    public const int HeadLength = 4096;

    private static readonly string[] HtmlMarkers = ["<!doctype html", "<html", "<head", "<body", "<meta ", "<title"];

    public static DocumentKind? Detect(ReadOnlySpan<byte> head, string? nameHint)
    {
        if (IndexOf(head[..Math.Min(head.Length, 1024)], "%PDF-"u8) >= 0)
        {
            return DocumentKind.Pdf;
        }
        if (head.StartsWith("PK\x03\x04"u8))
        {
            return DocumentKind.Docx;
        }
        if (!TextDecoding.LooksLikeText(head))
        {
            return null;
        }
        var text = TextDecoding.Decode(head).TrimStart().ToLowerInvariant();
        if (HtmlMarkers.Any(m => text.StartsWith(m, StringComparison.Ordinal)) ||
            (text.StartsWith('<') && text.Contains("<html", StringComparison.Ordinal)))
        {
            return DocumentKind.Html;
        }
        var extension = Path.GetExtension(nameHint ?? "").ToLowerInvariant();
        if (extension is ".md" or ".markdown" || LooksLikeMarkdown(text))
        {
            return DocumentKind.Markdown;
        }
        return DocumentKind.Text;
    }

    private static bool LooksLikeMarkdown(string text)
    {
        var lines = text.Split('\n', 50);
        return lines.Any(l => l.StartsWith("# ", StringComparison.Ordinal) || l.StartsWith("## ", StringComparison.Ordinal) ||
                              l.StartsWith("```", StringComparison.Ordinal));
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}

/// <summary>Turns bytes of unknown encoding into text: BOMs honoured, UTF-8 preferred, Latin-1 as the fallback.</summary>
public static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (HasUtf16Bom(head))
        {
            return true;
        }
        var controls = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return false;
            }
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0c)
            {
                controls++;
            }
        }
        return controls * 100 <= head.Length;
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // A sniffed head can end inside a multi-byte character; only then is UTF-8 still right.
            var trimmed = TrimIncompleteUtf8(bytes);
            if (trimmed.Length != bytes.Length && TryStrict(trimmed, out var text))
            {
                return text;
            }
            return Encoding.Latin1.GetString(bytes);
        }
    }

    public static string ReadAll(Stream content)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static bool HasUtf16Bom(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);

    private static bool TryStrict(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static ReadOnlySpan<byte> TrimIncompleteUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= 3 && back <= bytes.Length; back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0xC0)
            {
                return bytes[..^back];
            }
            if ((b & 0x80) == 0)
            {
                break;
            }
        }
        return bytes;
    }
}

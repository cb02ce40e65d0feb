using System.Globalization;
using System.Text;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Makes an untrusted file name safe to show: no control, bidirectional-override or other format
/// characters (which can disguise "exe.pdf"), whitespace collapsed, length capped. It is display text
/// only and is never used to build a path.
/// </summary>
public static class DisplayNames
{
    /// <summary>
    /// An uploaded file's name without any folders a client put before it ("../../etc/passwd.pdf" is
    /// "passwd.pdf"): browsers send bare names, so anything before a slash is noise at best.
    /// </summary>
    public static string FromFileName(string? fileName)
    {
        var name = fileName ?? "";
        var lastSeparator = name.LastIndexOfAny(['/', '\\']);
        return Clean(lastSeparator < 0 ? name : name[(lastSeparator + 1)..]);
    }

    public static string Clean(string? name, string fallback = "Untitled document")
    {
        var builder = new StringBuilder(Math.Min(name?.Length ?? 0, Model.Document.MaxDisplayNameLength));
        var space = false;
        foreach (var rune in (name ?? "").EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator)
            {
                continue;
            }
            if (Rune.IsWhiteSpace(rune))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            if (builder.Length + rune.Utf16SequenceLength > Model.Document.MaxDisplayNameLength)
            {
                break;
            }
            builder.Append(rune.ToString());
        }
        return builder.Length == 0 ? fallback : builder.ToString();
    }
}

using System.Globalization;
using System.Text;

namespace Nova.Services.Text;

/// <summary>
/// The one rule for short untrusted text shown on one line (chat titles, document and display
/// names): characters that are invisible or reorder what is shown are dropped, white space is
/// collapsed, and the length is capped.
/// </summary>
public static class PlainText
{
    /// <summary>
    /// Control characters, bidi embeddings, overrides and isolates, zero-width and other format
    /// characters, line and paragraph separators, private-use and unassigned code points: each can
    /// hide text or make "exe.pdf" read as "fdp.exe".
    /// </summary>
    public static bool IsHidden(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator;

    public static bool HasHidden(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsHidden(rune) || (Rune.IsWhiteSpace(rune) && rune.Value != ' '))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Hidden characters dropped, runs of white space as one space, trimmed, and at most
    /// <paramref name="maxLength"/> characters (cut text ends with "…"); null when nothing is left.
    /// </summary>
    public static string? Clean(string? text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text?.Length ?? 0, maxLength + 2));
        var space = false;
        foreach (var rune in (text ?? "").EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                space = builder.Length > 0;
                continue;
            }
            if (IsHidden(rune))
            {
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(rune.ToString());
            if (builder.Length > maxLength)
            {
                break;
            }
        }
        if (builder.Length == 0)
        {
            return null;
        }
        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }
        var cut = char.IsHighSurrogate(builder[maxLength - 2]) ? maxLength - 2 : maxLength - 1;
        return builder.ToString(0, cut).TrimEnd() + "…";
    }
}

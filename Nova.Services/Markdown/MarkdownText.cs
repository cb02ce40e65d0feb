using System.Text;

namespace Nova.Services.Markdown;

/// <summary>Untrusted text placed into markdown that Nova writes itself.</summary>
public static class MarkdownText
{
    /// <summary>
    /// The text as literal inline markdown: every ASCII punctuation character backslash-escaped (CommonMark
    /// allows that for all of them), so it cannot start a link, emphasis, a heading or a citation, and
    /// line breaks as spaces, so it stays within the line or quote it is put in.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
            }
            else if (char.IsAsciiLetterOrDigit(c) || !char.IsAscii(c) || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                escaped.Append(char.IsControl(c) ? ' ' : c);
            }
            else
            {
                escaped.Append('\\').Append(c);
            }
        }
        return escaped.ToString();
    }
}

using System.Buffers;

namespace Nova.Services.Markdown;

/// <summary>Character-level clean-up of untrusted markdown before it is parsed.</summary>
internal static class UntrustedText
{
    // NUL, and the explicit bidi embeddings, overrides and isolates that can make a link or a
    // file name read backwards ("exe.jpg"); implicit bidi (Arabic, Hebrew, LRM/RLM) is untouched.
    private static readonly SearchValues<char> Suspicious = SearchValues.Create(
        "\0\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>
    /// Replaces each suspicious character by U+FFFD, one for one, so offsets stay the same and a
    /// text cleans the same whole or in pieces.
    /// </summary>
    public static string Neutralize(string text)
    {
        var first = text.AsSpan().IndexOfAny(Suspicious);
        if (first < 0)
        {
            return text;
        }
        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            var rest = span[state.first..];
            int index;
            while ((index = rest.IndexOfAny(Suspicious)) >= 0)
            {
                rest[index] = '\uFFFD';
                rest = rest[(index + 1)..];
            }
        });
    }
}

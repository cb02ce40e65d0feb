using System.Text.RegularExpressions;

namespace Nova.Services.Rag.Retrieval;

/// <summary>
/// Words for BM25. Identifiers such as "E-4721", "PX-200b" or "v2.3.1" are kept whole as well as
/// split, so a question quoting an error code or part number matches it exactly. Single characters
/// are dropped: the "E" of every "E-nnnn" would otherwise tie all error codes together.
/// </summary>
public static partial class LexicalTokenizer
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is", "it", "of",
        "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "which", "who", "why", "with", "can", "my",
    ];

    public static IEnumerable<string> Tokenize(string text)
    {
        foreach (Match match in Word().Matches(text))
        {
            var token = match.Value.ToLowerInvariant();
            var compound = token.AsSpan().IndexOfAny("-_./") >= 0;
            if (compound)
            {
                yield return token;
                foreach (var part in token.Split(['-', '_', '.', '/'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (part.Length > 1 && !StopWords.Contains(part))
                    {
                        yield return part;
                    }
                }
            }
            else if (token.Length > 1 && !StopWords.Contains(token))
            {
                yield return token;
            }
        }
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[-_./][\p{L}\p{N}]+)*")]
    private static partial Regex Word();
}

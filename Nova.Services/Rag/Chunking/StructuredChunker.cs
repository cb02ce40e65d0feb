using System.Text.RegularExpressions;
using Nova.Services.Rag.Parsing;

namespace Nova.Services.Rag.Chunking;

/// <summary>
/// Splits parsed blocks into chunks of at most <c>maxTokens</c> (heading path included), never across
/// a heading or page change, preferring block then sentence boundaries, with a token overlap between
/// neighbouring chunks of the same section.
/// </summary>
public sealed partial class StructuredChunker(ITokenCounter tokens, int maxTokens, int overlapTokens)
{
    private const int MinBodyTokens = 32;

    public IReadOnlyList<TextChunk> Split(IReadOnlyList<ParsedBlock> blocks, CancellationToken cancellationToken = default)
    {
        var chunks = new List<TextChunk>();
        foreach (var section in Sections(blocks))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var heading = string.Join(TextChunk.HeadingSeparator, section[0].Headings);
            var budget = Math.Max(MinBodyTokens, maxTokens - (heading.Length == 0 ? 0 : tokens.Count(heading)));
            var overlap = Math.Min(overlapTokens, budget / 2);
            foreach (var text in Pack(Pieces(section, budget), budget, overlap))
            {
                chunks.Add(new TextChunk(chunks.Count, text, section[0].Page, heading,
                    tokens.Count(TextChunk.IndexTextOf(text, heading))));
            }
        }
        return chunks;
    }

    private static IEnumerable<List<ParsedBlock>> Sections(IReadOnlyList<ParsedBlock> blocks)
    {
        var current = new List<ParsedBlock>();
        foreach (var block in blocks)
        {
            if (current.Count > 0 && (current[0].Page != block.Page || !current[0].Headings.SequenceEqual(block.Headings)))
            {
                yield return current;
                current = [];
            }
            current.Add(block);
        }
        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private IEnumerable<Piece> Pieces(List<ParsedBlock> section, int budget)
    {
        foreach (var block in section)
        {
            var count = tokens.Count(block.Text);
            if (count <= budget)
            {
                yield return new Piece(block.Text, count, StartsBlock: true);
                continue;
            }
            var first = true;
            foreach (var sentence in SentenceBreak().Split(block.Text).Where(s => s.Length > 0))
            {
                foreach (var part in FitWords(sentence, budget))
                {
                    yield return part with { StartsBlock = first };
                    first = false;
                }
            }
        }
    }

    /// <summary>A sentence longer than the budget (tables, lists without punctuation) is cut at word boundaries.</summary>
    private IEnumerable<Piece> FitWords(string sentence, int budget)
    {
        var count = tokens.Count(sentence);
        if (count <= budget)
        {
            yield return new Piece(sentence, count, false);
            yield break;
        }
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = 0;
        var used = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var wordTokens = Math.Max(1, tokens.Count(words[i]));
            if (used + wordTokens > budget && i > start)
            {
                yield return new Piece(string.Join(' ', words[start..i]), used, false);
                start = i;
                used = 0;
            }
            used += wordTokens;
        }
        if (start < words.Length)
        {
            var rest = string.Join(' ', words[start..]);
            // A single "word" of thousands of tokens (base64, hashes) is cut by characters as a last resort.
            while (tokens.Count(rest) > budget && rest.Length > 1)
            {
                var cut = rest.Length / 2;
                yield return new Piece(rest[..cut], tokens.Count(rest[..cut]), false);
                rest = rest[cut..];
            }
            yield return new Piece(rest, tokens.Count(rest), false);
        }
    }

    private IEnumerable<string> Pack(IEnumerable<Piece> pieces, int budget, int overlap)
    {
        var current = new System.Text.StringBuilder();
        var used = 0;
        var hasNew = false;
        foreach (var piece in pieces)
        {
            if (hasNew && used + piece.Tokens > budget)
            {
                var text = current.ToString();
                yield return text;
                var tail = Tail(text, Math.Min(overlap, budget - piece.Tokens));
                current.Clear().Append(tail);
                used = tail.Length == 0 ? 0 : tokens.Count(tail);
                hasNew = false;
            }
            if (current.Length > 0)
            {
                current.Append(piece.StartsBlock ? '\n' : ' ');
            }
            current.Append(piece.Text);
            used += piece.Tokens + 1;
            hasNew = true;
        }
        if (hasNew)
        {
            yield return current.ToString();
        }
    }

    /// <summary>The last words of <paramref name="text"/> that fit in <paramref name="limit"/> tokens.</summary>
    private string Tail(string text, int limit)
    {
        if (limit <= 0)
        {
            return "";
        }
        var words = text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var used = 0;
        var start = words.Length;
        while (start > 0)
        {
            var next = Math.Max(1, tokens.Count(words[start - 1]));
            if (used + next > limit)
            {
                break;
            }
            used += next;
            start--;
        }
        return string.Join(' ', words[start..]);
    }

    [GeneratedRegex(@"(?<=[.!?;:])\s+|\n+")]
    private static partial Regex SentenceBreak();

    private readonly record struct Piece(string Text, int Tokens, bool StartsBlock);
}

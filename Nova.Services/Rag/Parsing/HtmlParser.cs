using AngleSharp.Dom;

namespace Nova.Services.Rag.Parsing;

/// <summary>HTML: the main content (main/article/body) without scripts, navigation or chrome, split at block elements.</summary>
internal sealed class HtmlParser : IDocumentParser
{
    private static readonly string[] Removed =
        ["script", "style", "noscript", "template", "svg", "iframe", "object", "nav", "header", "footer", "aside", "form", "button"];

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "li", "ul", "ol", "pre", "blockquote", "table", "tr", "dl", "dt", "dd",
        "figure", "figcaption", "br", "hr", "caption", "details", "summary", "address",
    };

    public DocumentKind Kind => DocumentKind.Html;

    public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        var source = TextDecoding.ReadAll(content);
        if (source.Length > limits.MaxTextChars * 4L)
        {
            throw new DocumentParseException($"The HTML is larger than {limits.MaxTextChars * 4L:N0} characters.");
        }
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(source);
        foreach (var element in document.QuerySelectorAll(string.Join(',', Removed)).ToList())
        {
            element.Remove();
        }
        var root = document.QuerySelector("main") ?? document.QuerySelector("article") ??
                   document.QuerySelector("[role=main]") ?? document.Body ?? document.DocumentElement;
        var walker = new Walker(new BlockCollector(limits), cancellationToken);
        var title = document.Title;
        if (!string.IsNullOrWhiteSpace(title) && root.QuerySelector("h1") is null)
        {
            walker.Headings.Push(1, title);
        }
        walker.Visit(root);
        walker.Flush();
        return new ParsedDocument(walker.Collector.Blocks, null);
    }

    private sealed class Walker(BlockCollector collector, CancellationToken cancellationToken)
    {
        private readonly System.Text.StringBuilder _text = new();

        public BlockCollector Collector => collector;

        public HeadingStack Headings { get; } = new();

        public void Visit(INode node)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (node is IText text)
            {
                _text.Append(text.Data);
                return;
            }
            if (node is not IElement element)
            {
                return;
            }
            var tag = element.LocalName;
            if (tag.Length == 2 && tag[0] == 'h' && tag[1] is >= '1' and <= '6')
            {
                Flush();
                Headings.Push(tag[1] - '0', element.TextContent);
                return;
            }
            var isBlock = BlockTags.Contains(tag);
            if (isBlock)
            {
                Flush();
            }
            if (tag is "td" or "th")
            {
                _text.Append(" | ");
            }
            foreach (var child in element.ChildNodes)
            {
                Visit(child);
            }
            if (isBlock)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_text.Length > 0)
            {
                collector.Add(_text.ToString().Trim(' ', '|'), null, Headings.Current);
                _text.Clear();
            }
        }
    }
}

using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nova.Services.Rag.Parsing;

/// <summary>Markdown through Markdig's syntax tree: headings become the heading path, other blocks keep their source text.</summary>
internal sealed class MarkdownParser : IDocumentParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public DocumentKind Kind => DocumentKind.Markdown;

    public ParsedDocument Parse(Stream content, ParseLimits limits, CancellationToken cancellationToken)
    {
        var source = TextDecoding.ReadAll(content).Replace("\r\n", "\n");
        if (source.Length > limits.MaxTextChars)
        {
            throw new DocumentParseException($"The document has more than {limits.MaxTextChars:N0} characters of text.");
        }
        var document = Markdig.Markdown.Parse(source, Pipeline);
        var collector = new BlockCollector(limits);
        var headings = new HeadingStack();
        foreach (var block in document)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (block is HeadingBlock heading)
            {
                headings.Push(heading.Level, InlineText(heading.Inline));
            }
            else if (block is not ThematicBreakBlock and not LinkReferenceDefinitionGroup)
            {
                collector.Add(Slice(source, block), null, headings.Current);
            }
        }
        return new ParsedDocument(collector.Blocks, null);
    }

    private static string Slice(string source, Block block)
    {
        var start = Math.Clamp(block.Span.Start, 0, source.Length);
        var end = Math.Clamp(block.Span.End + 1, start, source.Length);
        return source[start..end];
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }
        var builder = new System.Text.StringBuilder();
        foreach (var child in inline.Descendants())
        {
            switch (child)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
            }
        }
        return builder.ToString();
    }
}

using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Parsers.Inlines;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Renderers.Html.Inlines;

namespace Nova.Services.Markdown;

/// <summary>Swaps Markdig's code block, link and table renderers for ours and adds the definition injector and citations.</summary>
internal sealed class NovaRenderingExtension(int maxHighlightedLength) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.InlineParsers.Insert(0, new LinkDefinitionInjector());
        pipeline.InlineParsers.InsertBefore<LinkInlineParser>(new CitationParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html)
        {
            return;
        }
        html.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new CodeBlockHtmlRenderer(maxHighlightedLength));
        html.ObjectRenderers.ReplaceOrAdd<LinkInlineRenderer>(new LinkHtmlRenderer());
        html.ObjectRenderers.ReplaceOrAdd<HtmlTableRenderer>(new TableHtmlRenderer());
        html.ObjectRenderers.AddIfNotAlready(new CitationHtmlRenderer());
    }
}

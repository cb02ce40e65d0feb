using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Renderers.Html.Inlines;

namespace Nova.Services.Markdown;

/// <summary>Swaps Markdig's code block and link renderers for ours and adds the definition injector.</summary>
internal sealed class NovaRenderingExtension(int maxHighlightedLength) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline) =>
        pipeline.InlineParsers.Insert(0, new LinkDefinitionInjector());

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html)
        {
            return;
        }
        html.ObjectRenderers.ReplaceOrAdd<CodeBlockRenderer>(new CodeBlockHtmlRenderer(maxHighlightedLength));
        html.ObjectRenderers.ReplaceOrAdd<LinkInlineRenderer>(new LinkHtmlRenderer());
    }
}

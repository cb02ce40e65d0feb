using Markdig;

namespace Nova.Services.Markdown;

internal static class MarkdownPipelines
{
    /// <summary>
    /// CommonMark plus the extensions chat answers use. Raw HTML is disabled; extensions that
    /// tie blocks together across the document (footnotes, abbreviations, heading ids) are left
    /// out so each top-level block renders the same alone as in the whole answer.
    /// </summary>
    public static MarkdownPipeline Create(int maxHighlightedLength) =>
        new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseListExtras()
            .UseTaskLists()
            .UseEmphasisExtras()
            .UseAutoLinks()
            .DisableHtml()
            .Use(new NovaRenderingExtension(maxHighlightedLength))
            .Build();
}

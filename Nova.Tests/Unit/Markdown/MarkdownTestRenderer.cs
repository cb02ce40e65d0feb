using Microsoft.Extensions.Options;
using Nova.Services.Markdown;

namespace Nova.Tests.Unit.Markdown;

internal static class MarkdownTestRenderer
{
    public static MarkdownRenderer Create(int cacheEntries = 0, int maxHighlightedCodeLength = 20_000) =>
        new(Options.Create(new MarkdownOptions { CacheEntries = cacheEntries, MaxHighlightedCodeLength = maxHighlightedCodeLength }));

    public static string Html(this IReadOnlyList<RenderedBlock> blocks) => string.Concat(blocks.Select(b => b.Html));
}

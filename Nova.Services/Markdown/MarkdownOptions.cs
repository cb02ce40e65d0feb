namespace Nova.Services.Markdown;

/// <summary>Bound from <c>Nova:Markdown</c>.</summary>
public sealed class MarkdownOptions
{
    public const string Section = "Nova:Markdown";

    /// <summary>How many finished messages <see cref="MarkdownRenderer.Render"/> keeps rendered; 0 turns the cache off.</summary>
    public int CacheEntries { get; set; } = 512;

    /// <summary>
    /// Code blocks longer than this (in characters) are shown without syntax highlighting, which
    /// runs regular expressions over the whole block and is the costliest step per update.
    /// </summary>
    public int MaxHighlightedCodeLength { get; set; } = 20_000;
}

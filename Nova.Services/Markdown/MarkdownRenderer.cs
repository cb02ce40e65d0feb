using System.Net;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Nova.Services.Markdown;

/// <summary>
/// Turns untrusted markdown (model output, document text) into sanitized HTML that is safe to
/// show as a <c>MarkupString</c>: raw HTML is disabled, links are limited to http, https and
/// mailto and open in a new tab with <c>rel="noopener noreferrer nofollow"</c>, images are never
/// loaded (each becomes a "[image: alt]" placeholder with a link), and code blocks are
/// highlighted text in the wrapper <see cref="CodeBlockHtmlRenderer"/> describes. Thread-safe;
/// register once with <see cref="MarkdownExtensions.AddNovaMarkdown"/>.
/// </summary>
public sealed class MarkdownRenderer : IDisposable
{
    private readonly MarkdownPipeline _pipeline;
    private readonly MarkupSanitizer _sanitizer = new();
    private readonly MemoryCache? _cache;

    // A streamed answer renders its growing block on every update; a renderer set up for the pipeline is
    // reused by each thread rather than built (with every extension's object renderers) each time.
    private readonly ThreadLocal<BlockWriter> _blockWriters;

    public MarkdownRenderer(IOptions<MarkdownOptions> options)
    {
        var settings = options.Value;
        _pipeline = MarkdownPipelines.Create(settings.MaxHighlightedCodeLength);
        _blockWriters = new ThreadLocal<BlockWriter>(() => new BlockWriter(_pipeline));
        if (settings.CacheEntries > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.CacheEntries });
        }
    }

    /// <summary>
    /// Renders a finished text at once; recent results are kept in a bounded cache. <c>[n]</c> becomes a
    /// citation (see <see cref="CitationParser"/>) for n from 1 to <paramref name="sources"/>.
    /// </summary>
    public string Render(string markdown, int sources = 0)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        if (_cache is null)
        {
            return RenderUncached(markdown, sources);
        }
        var key = (markdown, sources);
        if (_cache.TryGetValue(key, out string? cached) && cached is not null)
        {
            return cached;
        }
        var html = RenderUncached(markdown, sources);
        _cache.Set(key, html, new MemoryCacheEntryOptions { Size = 1 });
        return html;
    }

    /// <summary>
    /// A renderer for one message that is still being written, citing <paramref name="sources"/> sources; see
    /// <see cref="IncrementalMarkdownRenderer"/>. The sources of an answer are known before its first token.
    /// </summary>
    public IncrementalMarkdownRenderer CreateIncremental(int sources = 0) => new(this, sources);

    public void Dispose()
    {
        _cache?.Dispose();
        _blockWriters.Dispose();
    }

    private string RenderUncached(string markdown, int sources)
    {
        var text = UntrustedText.Neutralize(markdown);
        try
        {
            var context = new MarkdownParserContext();
            CitationParser.AddTo(context, sources);
            return _sanitizer.Sanitize(Markdig.Markdown.ToHtml(text, _pipeline, context));
        }
        catch (ArgumentException)
        {
            return PlainText(text);
        }
    }

    /// <summary>
    /// Parses already neutralized text, with link definitions from elsewhere in the answer and the
    /// answer's number of sources; null
    /// when Markdig refuses it (nesting deeper than its limit, which only hostile text reaches).
    /// </summary>
    internal MarkdownDocument? TryParse(string markdown, IReadOnlyDictionary<string, LinkReferenceDefinition> definitions, int sources)
    {
        try
        {
            var context = LinkDefinitionInjector.Context(definitions);
            CitationParser.AddTo(context, sources);
            return Markdig.Markdown.Parse(markdown, _pipeline, context);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Renders one top-level block and sanitizes it; <paramref name="source"/> is shown as text if Markdig refuses.</summary>
    internal string RenderBlock(Block block, string source, bool highlight)
    {
        var writer = _blockWriters.Value!;
        try
        {
            return _sanitizer.Sanitize(writer.Render(block, highlight));
        }
        catch (ArgumentException)
        {
            // A renderer that failed part-way may keep state from it: the thread gets a fresh one.
            _blockWriters.Value = new BlockWriter(_pipeline);
            return PlainText(source);
        }
    }

    /// <summary>Text Markdig refuses to parse, shown as it is.</summary>
    internal static string PlainText(string text) => $"<pre>{WebUtility.HtmlEncode(text)}</pre>\n";

    /// <summary>One thread's HTML renderer for single blocks, with the pipeline's extensions set up once.</summary>
    private sealed class BlockWriter
    {
        private readonly StringWriter _output = new();
        private readonly HtmlRenderer _renderer;
        private readonly CodeBlockHtmlRenderer _code;

        public BlockWriter(MarkdownPipeline pipeline)
        {
            _renderer = new HtmlRenderer(_output);
            pipeline.Setup(_renderer);
            _code = _renderer.ObjectRenderers.Find<CodeBlockHtmlRenderer>()!;
        }

        public string Render(Block block, bool highlight)
        {
            _code.Highlight = highlight;
            try
            {
                _renderer.Render(block);
                _renderer.Writer.Flush();
                return _output.ToString();
            }
            finally
            {
                _output.GetStringBuilder().Clear();
            }
        }
    }
}

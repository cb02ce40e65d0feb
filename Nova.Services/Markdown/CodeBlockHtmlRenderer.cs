using System.Text;
using System.Text.RegularExpressions;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Nova.Services.Markdown;

/// <summary>
/// Writes every code block (fenced or indented; mermaid, svg and math included) as text, never as
/// live markup, in this stable wrapper:
/// <code>
/// &lt;div class="nova-code" data-lang="cs"&gt;
///   &lt;div class="nova-code-bar"&gt;&lt;span class="nova-code-lang"&gt;cs&lt;/span&gt;&lt;button type="button" class="nova-copy" data-copy=""&gt;Copy&lt;/button&gt;&lt;/div&gt;
///   &lt;pre&gt;&lt;code&gt;…tokens as &lt;span class="tok-keyword|tok-string|…"&gt;…&lt;/code&gt;&lt;/pre&gt;
/// &lt;/div&gt;
/// </code>
/// <c>data-lang</c> is absent when the fence names no language (or one that is not a plain word),
/// and the label then reads "text". The UI's script handles clicks on <c>[data-copy]</c> and
/// copies the <c>textContent</c> of the <c>code</c> element inside the same <c>.nova-code</c>.
/// </summary>
internal sealed partial class CodeBlockHtmlRenderer(int maxHighlightedLength) : HtmlObjectRenderer<CodeBlock>
{
    /// <summary>Off for a block still being streamed: highlighting costs far more than the rest.</summary>
    public bool Highlight { get; set; } = true;

    protected override void Write(HtmlRenderer renderer, CodeBlock block)
    {
        var language = block is FencedCodeBlock fenced ? PlainLanguage(fenced.Info) : null;
        var code = CodeText(block);

        var html = new StringBuilder(code.Length + 256);
        html.Append("<div class=\"nova-code\"");
        if (language is not null)
        {
            html.Append(" data-lang=\"").Append(language).Append('"');
        }
        html.Append("><div class=\"nova-code-bar\"><span class=\"nova-code-lang\">")
            .Append(language ?? "text")
            .Append("</span><button type=\"button\" class=\"nova-copy\" data-copy=\"\">Copy</button></div><pre><code>");
        CodeHighlighter.Write(html, code, Highlight && code.Length <= maxHighlightedLength ? language : null);
        html.Append("</code></pre></div>");

        renderer.EnsureLine();
        renderer.Write(html.ToString());
        renderer.WriteLine();
    }

    /// <summary>The language as a lower-case word safe to put in an attribute, or null.</summary>
    internal static string? PlainLanguage(string? info) =>
        info is not null && LanguagePattern().IsMatch(info) ? info.ToLowerInvariant() : null;

    private static string CodeText(CodeBlock block)
    {
        var text = new StringBuilder();
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(lines.Lines[i].Slice.AsSpan()).Append('\n');
        }
        return text.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_+#.\-]{0,31}$")]
    private static partial Regex LanguagePattern();
}

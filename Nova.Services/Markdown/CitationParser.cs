using System.Globalization;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax.Inlines;

namespace Nova.Services.Markdown;

/// <summary>
/// Turns <c>[n]</c> (and <c>[n, m]</c>) into citations when every n is the number of one of the answer's
/// sources, 1 to the count passed in the parser context; anything else, <c>[99]</c> included, stays text.
/// It runs before the link parser, so a citation cannot be made into a link by a definition such as
/// <c>[1]: javascript:…</c>; <c>[1](url)</c> is a link as usual (and the sanitizer judges its URL).
/// </summary>
internal sealed class CitationParser : InlineParser
{
    private const int MaxDigits = 3;

    public CitationParser() => OpeningCharacters = ['['];

    public static void AddTo(MarkdownParserContext context, int sources) => context.Properties[typeof(CitationParser)] = sources;

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        if (processor.Context?.Properties.GetValueOrDefault(typeof(CitationParser)) is not int sources || sources <= 0)
        {
            return false;
        }
        var start = slice.Start;
        var text = slice.Text;
        var position = start + 1;
        List<int> numbers = [];
        while (true)
        {
            var digitsStart = position;
            var number = 0;
            while (position <= slice.End && char.IsAsciiDigit(text[position]) && position - digitsStart < MaxDigits)
            {
                number = number * 10 + (text[position] - '0');
                position++;
            }
            if (position == digitsStart || number < 1 || number > sources || text[digitsStart] == '0')
            {
                return false;
            }
            numbers.Add(number);
            if (position > slice.End)
            {
                return false;
            }
            if (text[position] == ']')
            {
                break;
            }
            if (text[position] != ',')
            {
                return false;
            }
            position++;
            while (position <= slice.End && text[position] == ' ')
            {
                position++;
            }
        }
        // "[1](url)" is an inline link, left to the link parser.
        if (position + 1 <= slice.End && text[position + 1] == '(')
        {
            return false;
        }
        processor.Inline = new CitationInline(numbers)
        {
            Span = new Markdig.Syntax.SourceSpan(processor.GetSourcePosition(start, out var line, out var column), processor.GetSourcePosition(position)),
            Line = line,
            Column = column,
        };
        slice.Start = position + 1;
        return true;
    }
}

/// <summary>One or more citations written together, as <c>[1]</c> or <c>[1, 2]</c>.</summary>
internal sealed class CitationInline(IReadOnlyList<int> numbers) : LeafInline
{
    public IReadOnlyList<int> Numbers { get; } = numbers;
}

/// <summary>
/// Writes each citation as <c>&lt;button type="button" class="nova-cite" data-testid="citation" data-source="n"&gt;n&lt;/button&gt;</c>;
/// the chat opens the source on a click. Where inline HTML is off (an image's alt text) it writes <c>[n]</c>.
/// </summary>
internal sealed class CitationHtmlRenderer : HtmlObjectRenderer<CitationInline>
{
    public const string CssClass = "nova-cite";

    protected override void Write(HtmlRenderer renderer, CitationInline citation)
    {
        foreach (var number in citation.Numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)))
        {
            renderer.Write(renderer.EnableHtmlForInline
                ? $"<button type=\"button\" class=\"{CssClass}\" data-testid=\"citation\" data-source=\"{number}\" aria-label=\"Source {number}\">{number}</button>"
                : $"[{number}]");
        }
    }
}

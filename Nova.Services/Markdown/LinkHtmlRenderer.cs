using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax.Inlines;

namespace Nova.Services.Markdown;

/// <summary>
/// Writes links plainly (the sanitizer decides on the URL and adds rel/target) and never writes an
/// image: a markdown image in model output could leak data through its URL the moment a browser
/// fetched it, so it becomes <c>[image: alt]</c> with a link to the address the user may follow.
/// </summary>
internal sealed class LinkHtmlRenderer : HtmlObjectRenderer<LinkInline>
{
    private const int ShownUrlLength = 80;

    protected override void Write(HtmlRenderer renderer, LinkInline link)
    {
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
        if (link.IsImage)
        {
            WriteImagePlaceholder(renderer, link, url);
            return;
        }
        if (!renderer.EnableHtmlForInline)
        {
            renderer.WriteChildren(link);
            return;
        }
        renderer.Write("<a href=\"");
        renderer.WriteEscapeUrl(url);
        renderer.Write('"');
        if (!string.IsNullOrEmpty(link.Title))
        {
            renderer.Write(" title=\"");
            renderer.WriteEscape(link.Title);
            renderer.Write('"');
        }
        renderer.Write('>');
        renderer.WriteChildren(link);
        renderer.Write("</a>");
    }

    private static void WriteImagePlaceholder(HtmlRenderer renderer, LinkInline image, string url)
    {
        var html = renderer.EnableHtmlForInline;
        if (html)
        {
            renderer.Write("<span class=\"nova-image\">");
        }
        renderer.Write(image.FirstChild is null ? "[image" : "[image: ");
        renderer.EnableHtmlForInline = false;
        renderer.WriteChildren(image);
        renderer.EnableHtmlForInline = html;
        renderer.Write(']');
        if (!html)
        {
            return;
        }
        // An anchor inside the enclosing link's anchor would be invalid HTML; the outer link stays.
        if (url.Length > 0 && !IsInsideLink(image))
        {
            renderer.Write(" (<a href=\"");
            renderer.WriteEscapeUrl(url);
            renderer.Write("\">");
            renderer.WriteEscape(url.Length <= ShownUrlLength ? url : string.Concat(url.AsSpan(0, ShownUrlLength), "…"));
            renderer.Write("</a>)");
        }
        renderer.Write("</span>");
    }

    private static bool IsInsideLink(Inline inline)
    {
        for (var parent = inline.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is LinkInline { IsImage: false })
            {
                return true;
            }
        }
        return false;
    }
}

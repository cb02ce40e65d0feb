using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Nova.Tests.Unit.Markdown;

/// <summary>
/// An allow-list kept apart from the renderer's own, so a mistake in the sanitizer's settings
/// shows up here: every element, attribute, class, style and URL must be one we mean to allow.
/// </summary>
internal static partial class SafeHtml
{
    private static readonly Dictionary<string, string[]> AttributesByTag = new()
    {
        ["p"] = [],
        ["br"] = [],
        ["hr"] = [],
        ["h1"] = [],
        ["h2"] = [],
        ["h3"] = [],
        ["h4"] = [],
        ["h5"] = [],
        ["h6"] = [],
        ["strong"] = [],
        ["em"] = [],
        ["del"] = [],
        ["ins"] = [],
        ["mark"] = [],
        ["sub"] = [],
        ["sup"] = [],
        ["blockquote"] = [],
        ["pre"] = [],
        ["code"] = [],
        ["ul"] = ["class"],
        ["ol"] = ["start", "type", "class"],
        ["li"] = ["class"],
        ["input"] = ["type", "disabled", "checked"],
        ["table"] = [],
        ["thead"] = [],
        ["tbody"] = [],
        ["tr"] = [],
        ["th"] = ["class"],
        ["td"] = ["class"],
        ["a"] = ["href", "title", "rel", "target"],
        ["span"] = ["class"],
        ["div"] = ["class", "data-lang"],
        ["button"] = ["type", "class", "data-copy", "data-source", "data-testid", "aria-label"],
    };

    private static readonly HashSet<string> Classes =
    [
        "nova-code", "nova-code-bar", "nova-code-lang", "nova-copy", "nova-image", "nova-cite",
        "contains-task-list", "task-list-item", "nova-align-left", "nova-align-center", "nova-align-right",
        "tok-keyword", "tok-string", "tok-comment", "tok-number", "tok-type", "tok-function",
        "tok-tag", "tok-attr", "tok-variable",
    ];

    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument($"<!DOCTYPE html><html><head></head><body>{html}</body></html>");

    /// <summary>Throws with the offending markup when <paramref name="html"/> is not safe.</summary>
    public static void Assert(string html, string input)
    {
        var document = Parse(html);
        Xunit.Assert.Empty(document.Head!.ChildNodes);
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            var tag = element.LocalName;
            Check(AttributesByTag.TryGetValue(tag, out var allowed), $"element <{tag}>", html, input);
            foreach (var attribute in element.Attributes)
            {
                Check(allowed!.Contains(attribute.Name), $"attribute {attribute.Name} on <{tag}>", html, input);
            }
            foreach (var cssClass in element.ClassList)
            {
                Check(Classes.Contains(cssClass), $"class {cssClass}", html, input);
            }
            if (element.GetAttribute("data-testid") is { } testId)
            {
                Check(testId == "citation" && element.HasAttribute("data-source"), $"data-testid {testId}", html, input);
            }
            if (element.GetAttribute("data-source") is { } source)
            {
                Check(SourceNumber().IsMatch(source) && element.GetAttribute("aria-label") == $"Source {source}"
                      && element.GetAttribute("data-testid") == "citation", $"data-source {source}", html, input);
            }
            if (element.GetAttribute("data-lang") is { } language)
            {
                Check(LanguageName().IsMatch(language), $"data-lang {language}", html, input);
            }
            switch (tag)
            {
                case "a" when element.GetAttribute("href") is { } href:
                    Check(IsAllowedUrl(href), $"href {href}", html, input);
                    Check(element.GetAttribute("rel") == "noopener noreferrer nofollow", "rel", html, input);
                    Check(element.GetAttribute("target") == "_blank", "target", html, input);
                    break;
                case "a":
                    Check(!element.HasAttribute("rel") && !element.HasAttribute("target"), "rel without href", html, input);
                    break;
                case "input":
                    Check(element.GetAttribute("type") == "checkbox" && element.HasAttribute("disabled"), "live input", html, input);
                    break;
                case "button":
                    Check(element.GetAttribute("type") == "button", "submit button", html, input);
                    break;
            }
        }
        Check(!html.Contains("<img", StringComparison.OrdinalIgnoreCase), "an image element", html, input);
        Check(!html.Contains("<script", StringComparison.OrdinalIgnoreCase), "a script element", html, input);
    }

    public static bool IsAllowedUrl(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https" or "mailto"
        && href.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);

    private static void Check(bool condition, string what, string html, string input)
    {
        if (!condition)
        {
            throw new Xunit.Sdk.XunitException($"Unsafe {what}\nInput: {Printable(input)}\nOutput: {html}");
        }
    }

    private static string Printable(string text) =>
        text.Length > 300 ? string.Concat(text.AsSpan(0, 300), "…") : text;

    [GeneratedRegex("^[a-z0-9][a-z0-9_+#.-]{0,31}$")]
    private static partial Regex LanguageName();

    [GeneratedRegex("^[1-9][0-9]{0,2}$")]
    private static partial Regex SourceNumber();
}

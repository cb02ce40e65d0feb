using AngleSharp.Dom;
using Ganss.Xss;

namespace Nova.Services.Markdown;

/// <summary>
/// The last word on what rendered markdown may contain: a strict allow-list of tags, of
/// attributes per tag, of classes, and of URL schemes. Whatever Markdig emits passes through
/// here, so a renderer bug or a parser trick still cannot produce script, styles, frames,
/// forms, images, inline styles or relative links. Configured once and only read afterwards, so one instance
/// serves all threads.
/// </summary>
internal sealed class MarkupSanitizer
{
    /// <summary>URL schemes a link may use; relative and scheme-less URLs are dropped.</summary>
    public static IReadOnlySet<string> AllowedSchemes { get; } =
        new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Tags and, per tag, the attributes each may keep.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> AllowedAttributesByTag { get; } =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["p"] = Set(),
            ["br"] = Set(),
            ["hr"] = Set(),
            ["h1"] = Set(),
            ["h2"] = Set(),
            ["h3"] = Set(),
            ["h4"] = Set(),
            ["h5"] = Set(),
            ["h6"] = Set(),
            ["strong"] = Set(),
            ["em"] = Set(),
            ["del"] = Set(),
            ["ins"] = Set(),
            ["mark"] = Set(),
            ["sub"] = Set(),
            ["sup"] = Set(),
            ["blockquote"] = Set(),
            ["pre"] = Set(),
            ["code"] = Set(),
            ["ul"] = Set("class"),
            ["ol"] = Set("start", "type", "class"),
            ["li"] = Set("class"),
            ["input"] = Set("type", "disabled", "checked"),
            ["table"] = Set(),
            ["thead"] = Set(),
            ["tbody"] = Set(),
            ["tr"] = Set(),
            ["th"] = Set("class"),
            ["td"] = Set("class"),
            ["a"] = Set("href", "title", "rel", "target"),
            ["span"] = Set("class"),
            ["div"] = Set("class", "data-lang"),
            ["button"] = Set("type", "class", "data-copy", "data-source", "data-testid", "aria-label"),
        };

    /// <summary>Every class the renderer emits; any other class is removed.</summary>
    public static IReadOnlySet<string> AllowedClasses { get; } =
        new HashSet<string>(
            [
                "nova-code", "nova-code-bar", "nova-code-lang", "nova-copy", "nova-image", CitationHtmlRenderer.CssClass,
                "contains-task-list", "task-list-item",
                .. TableHtmlRenderer.AlignmentClasses,
                .. CodeHighlighter.TokenClasses,
            ],
            StringComparer.Ordinal);

    public const string LinkRel = "noopener noreferrer nofollow";
    public const string LinkTarget = "_blank";

    private readonly HtmlSanitizer _sanitizer;

    public MarkupSanitizer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(AllowedAttributesByTag.Keys, StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(AllowedAttributesByTag.Values.SelectMany(a => a), StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(AllowedSchemes, StringComparer.OrdinalIgnoreCase),
            // No style survives: table alignment is a class (TableHtmlRenderer).
            AllowedCssProperties = new HashSet<string>(),
            AllowedClasses = new HashSet<string>(AllowedClasses, StringComparer.Ordinal),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            UriAttributes = new HashSet<string>(["href"], StringComparer.OrdinalIgnoreCase),
        })
        {
            AllowDataAttributes = false,
            KeepChildNodes = false,
        };
        _sanitizer.FilterUrl += (_, e) => e.SanitizedUrl = IsAllowedUrl(e.SanitizedUrl) ? e.SanitizedUrl : null;
        _sanitizer.PostProcessNode += (_, e) => PostProcess(e.Node);
    }

    public string Sanitize(string html) => _sanitizer.Sanitize(html);

    /// <summary>Only absolute URLs with an allowed scheme; relative links would point into Nova itself.</summary>
    public static bool IsAllowedUrl(string? url) =>
        url is not null
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && AllowedSchemes.Contains(uri.Scheme)
        && !uri.IsFile
        && !uri.IsUnc;

    private static void PostProcess(INode node)
    {
        if (node is not IElement element)
        {
            return;
        }
        if (AllowedAttributesByTag.TryGetValue(element.LocalName, out var allowed))
        {
            foreach (var attribute in element.Attributes.ToList())
            {
                if (!allowed.Contains(attribute.Name))
                {
                    element.RemoveAttribute(attribute.Name);
                }
            }
        }
        switch (element.LocalName)
        {
            case "a":
                element.RemoveAttribute("rel");
                element.RemoveAttribute("target");
                if (element.HasAttribute("href"))
                {
                    element.SetAttribute("rel", LinkRel);
                    element.SetAttribute("target", LinkTarget);
                }
                break;
            case "input":
                // Task-list boxes are shown, never edited or submitted.
                element.SetAttribute("type", "checkbox");
                element.SetAttribute("disabled", "disabled");
                break;
            case "button":
                element.SetAttribute("type", "button");
                break;
        }
    }

    private static HashSet<string> Set(params string[] attributes) => new(attributes, StringComparer.OrdinalIgnoreCase);
}

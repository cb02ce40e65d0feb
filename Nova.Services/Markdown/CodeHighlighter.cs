using System.Net;
using System.Text;
using ColorCode;
using ColorCode.Common;
using ColorCode.Parsing;
using ColorCode.Styling;

namespace Nova.Services.Markdown;

/// <summary>
/// Server-side syntax highlighting with ColorCode's parsers, written as our own token spans: every
/// class it emits is one of <see cref="TokenClasses"/>, so the sanitizer can allow exactly those.
/// </summary>
internal static class CodeHighlighter
{
    private static readonly Dictionary<string, string> ClassByScope = new(StringComparer.Ordinal)
    {
        [ScopeName.Keyword] = "tok-keyword",
        [ScopeName.ControlKeyword] = "tok-keyword",
        [ScopeName.PseudoKeyword] = "tok-keyword",
        [ScopeName.PreprocessorKeyword] = "tok-keyword",
        [ScopeName.String] = "tok-string",
        [ScopeName.StringCSharpVerbatim] = "tok-string",
        [ScopeName.StringEscape] = "tok-string",
        [ScopeName.JsonString] = "tok-string",
        [ScopeName.XmlAttributeValue] = "tok-string",
        [ScopeName.HtmlAttributeValue] = "tok-string",
        [ScopeName.CssPropertyValue] = "tok-string",
        [ScopeName.Comment] = "tok-comment",
        [ScopeName.XmlComment] = "tok-comment",
        [ScopeName.XmlDocComment] = "tok-comment",
        [ScopeName.XmlDocTag] = "tok-comment",
        [ScopeName.HtmlComment] = "tok-comment",
        [ScopeName.Number] = "tok-number",
        [ScopeName.JsonNumber] = "tok-number",
        [ScopeName.JsonConst] = "tok-number",
        [ScopeName.BuiltinValue] = "tok-number",
        [ScopeName.Type] = "tok-type",
        [ScopeName.ClassName] = "tok-type",
        [ScopeName.TypeVariable] = "tok-type",
        [ScopeName.NameSpace] = "tok-type",
        [ScopeName.Constructor] = "tok-type",
        [ScopeName.PowerShellType] = "tok-type",
        [ScopeName.BuiltinFunction] = "tok-function",
        [ScopeName.SqlSystemFunction] = "tok-function",
        [ScopeName.PowerShellCommand] = "tok-function",
        [ScopeName.Intrinsic] = "tok-function",
        [ScopeName.Predefined] = "tok-function",
        [ScopeName.HtmlElementName] = "tok-tag",
        [ScopeName.XmlName] = "tok-tag",
        [ScopeName.CssSelector] = "tok-tag",
        [ScopeName.MarkdownHeader] = "tok-tag",
        [ScopeName.HtmlAttributeName] = "tok-attr",
        [ScopeName.XmlAttribute] = "tok-attr",
        [ScopeName.CssPropertyName] = "tok-attr",
        [ScopeName.JsonKey] = "tok-attr",
        [ScopeName.PowerShellParameter] = "tok-attr",
        [ScopeName.PowerShellAttribute] = "tok-attr",
        [ScopeName.Attribute] = "tok-attr",
        [ScopeName.PowerShellVariable] = "tok-variable",
    };

    /// <summary>Every class a highlighted token can carry.</summary>
    public static IReadOnlySet<string> TokenClasses { get; } = ClassByScope.Values.ToHashSet(StringComparer.Ordinal);

    /// <summary>Aliases models write after a fence that ColorCode does not know by that name.</summary>
    private static readonly Dictionary<string, string> LanguageAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cs"] = LanguageId.CSharp,
        ["csharp"] = LanguageId.CSharp,
        ["c#"] = LanguageId.CSharp,
        ["js"] = LanguageId.JavaScript,
        ["jsx"] = LanguageId.JavaScript,
        ["ts"] = LanguageId.TypeScript,
        ["tsx"] = LanguageId.TypeScript,
        ["py"] = LanguageId.Python,
        ["ps"] = LanguageId.PowerShell,
        ["ps1"] = LanguageId.PowerShell,
        ["pwsh"] = LanguageId.PowerShell,
        ["c"] = LanguageId.Cpp,
        ["c++"] = LanguageId.Cpp,
        ["h"] = LanguageId.Cpp,
        ["hpp"] = LanguageId.Cpp,
        ["fs"] = LanguageId.FSharp,
        ["fsharp"] = LanguageId.FSharp,
        ["vb"] = LanguageId.VbDotNet,
        ["md"] = LanguageId.Markdown,
        ["hs"] = LanguageId.Haskell,
        ["xaml"] = LanguageId.Xml,
        ["csproj"] = LanguageId.Xml,
    };

    /// <summary>
    /// Appends <paramref name="code"/> to <paramref name="output"/> as HTML: highlighted when the
    /// language is known, otherwise just encoded.
    /// </summary>
    public static void Write(StringBuilder output, string code, string? language)
    {
        var known = FindLanguage(language);
        if (known is null || code.Length == 0)
        {
            output.Append(WebUtility.HtmlEncode(code));
            return;
        }
        new SpanWriter(output).Highlight(code, known);
    }

    private static ILanguage? FindLanguage(string? language)
    {
        if (string.IsNullOrEmpty(language))
        {
            return null;
        }
        return Languages.FindById(LanguageAliases.GetValueOrDefault(language, language));
    }

    private sealed class SpanWriter(StringBuilder output) : CodeColorizerBase(StyleDictionary.DefaultLight, null)
    {
        public void Highlight(string code, ILanguage language) =>
            languageParser.Parse(code, language, Write);

        protected override void Write(string parsedSourceCode, IList<Scope> scopes) =>
            WriteRange(parsedSourceCode, 0, parsedSourceCode.Length, scopes);

        // Scopes nest; each is clamped to its parent so the spans always balance.
        private void WriteRange(string text, int start, int end, IEnumerable<Scope> scopes)
        {
            var position = start;
            foreach (var scope in scopes.OrderBy(s => s.Index))
            {
                var scopeStart = Math.Clamp(scope.Index, position, end);
                var scopeEnd = Math.Clamp(scope.Index + scope.Length, scopeStart, end);
                if (scopeEnd == scopeStart)
                {
                    continue;
                }
                Encode(text, position, scopeStart);
                var cssClass = ClassByScope.GetValueOrDefault(scope.Name);
                if (cssClass is not null)
                {
                    output.Append("<span class=\"").Append(cssClass).Append("\">");
                }
                WriteRange(text, scopeStart, scopeEnd, scope.Children);
                if (cssClass is not null)
                {
                    output.Append("</span>");
                }
                position = scopeEnd;
            }
            Encode(text, position, end);
        }

        private void Encode(string text, int start, int end)
        {
            if (end > start)
            {
                output.Append(WebUtility.HtmlEncode(text[start..end]));
            }
        }
    }
}

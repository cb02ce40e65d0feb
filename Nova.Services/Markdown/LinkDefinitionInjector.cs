using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Syntax;

namespace Nova.Services.Markdown;

/// <summary>
/// Link reference definitions are global to a document, but the incremental renderer parses
/// only the tail of an answer. This parser never matches anything: before the first bracket of a
/// parse is handled it copies the definitions passed in the parser context into the document,
/// overriding the tail's own, as definitions earlier in the answer win.
/// </summary>
internal sealed class LinkDefinitionInjector : InlineParser
{
    private static readonly object InjectedKey = new();

    public LinkDefinitionInjector() => OpeningCharacters = ['[', ']', '!'];

    public static MarkdownParserContext Context(IReadOnlyDictionary<string, LinkReferenceDefinition> definitions)
    {
        var context = new MarkdownParserContext();
        context.Properties[typeof(LinkDefinitionInjector)] = definitions;
        return context;
    }

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        var document = processor.Document;
        if (document.ContainsData(InjectedKey))
        {
            return false;
        }
        document.SetData(InjectedKey, true);
        if (processor.Context?.Properties.GetValueOrDefault(typeof(LinkDefinitionInjector))
            is IReadOnlyDictionary<string, LinkReferenceDefinition> definitions)
        {
            // A definition joins the document's group as a child, so each document gets its own copy.
            foreach (var (label, definition) in definitions)
            {
                document.SetLinkReferenceDefinition(label, new LinkReferenceDefinition(definition.Label, definition.Url, definition.Title), addGroup: false);
            }
        }
        return false;
    }
}

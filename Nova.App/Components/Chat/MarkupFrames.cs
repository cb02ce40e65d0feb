using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components.Rendering;

namespace Nova.App.Components.Chat;

/// <summary>
/// Writes sanitized HTML into the render tree as elements and text rather than as one markup string.
/// A markup string that changes is sent to the browser whole; elements and text are diffed, so for a
/// block still being written only its new text crosses the circuit. Text is cut into pieces at line
/// ends and at the first space past <see cref="PieceLength"/> characters, counted from the left, so the
/// pieces already written never move as the text grows and the diff sends only the last one or two.
/// </summary>
public static class MarkupFrames
{
    internal const int PieceLength = 48;

    // Parsers and documents are not safe to share between threads; circuits render on many.
    [ThreadStatic]
    private static (HtmlParser Parser, IElement Body)? _parsing;

    public static void Write(RenderTreeBuilder builder, string html)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var (parser, body) = _parsing ??= NewParsing();
        WriteNodes(builder, parser.ParseFragment(html, body));
    }

    private static (HtmlParser, IElement) NewParsing()
    {
        var parser = new HtmlParser();
        return (parser, parser.ParseDocument("<!DOCTYPE html><body></body>").Body!);
    }

    private static void WriteNodes(RenderTreeBuilder builder, INodeList nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case IElement element:
                    builder.OpenElement(0, element.LocalName);
                    for (var i = 0; i < element.Attributes.Length; i++)
                    {
                        builder.AddAttribute(1, element.Attributes[i]!.Name, element.Attributes[i]!.Value);
                    }
                    WriteNodes(builder, element.ChildNodes);
                    builder.CloseElement();
                    break;
                case IText text:
                    WriteText(builder, text.Data);
                    break;
            }
        }
    }

    private static void WriteText(RenderTreeBuilder builder, string text)
    {
        foreach (var piece in Pieces(text))
        {
            builder.AddContent(0, piece);
        }
    }

    /// <summary>The text cut where <see cref="MarkupFrames"/> cuts it; joined, the pieces are the text.</summary>
    internal static IEnumerable<string> Pieces(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = PieceEnd(text, start);
            yield return text[start..end];
            start = end;
        }
    }

    private static int PieceEnd(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == ' ' && i - start >= PieceLength))
            {
                return i + 1;
            }
        }
        return text.Length;
    }
}

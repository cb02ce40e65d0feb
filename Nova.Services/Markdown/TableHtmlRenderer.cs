using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Nova.Services.Markdown;

/// <summary>
/// Writes pipe tables with each column's alignment as a class (<see cref="AlignmentClasses"/>) rather than the
/// inline <c>style="text-align: …"</c> Markdig writes. Rendered markdown then carries no style attribute at all: the
/// sanitizer allows none, and no longer parses CSS for every aligned cell of a table while it is streamed.
/// </summary>
internal sealed class TableHtmlRenderer : HtmlObjectRenderer<Table>
{
    public const string AlignLeft = "nova-align-left";
    public const string AlignCenter = "nova-align-center";
    public const string AlignRight = "nova-align-right";

    public static IReadOnlyList<string> AlignmentClasses { get; } = [AlignLeft, AlignCenter, AlignRight];

    protected override void Write(HtmlRenderer renderer, Table table)
    {
        if (!renderer.EnableHtmlForBlock)
        {
            WriteCellsAsText(renderer, table);
            return;
        }
        renderer.EnsureLine();
        renderer.WriteLine("<table>");
        // Header rows before the first body row form the head; every row after it is body, as in Markdig.
        string? section = null;
        foreach (var row in table.OfType<TableRow>())
        {
            var wanted = row.IsHeader && section != "tbody" ? "thead" : "tbody";
            if (wanted != section)
            {
                if (section is not null)
                {
                    renderer.WriteLine($"</{section}>");
                }
                renderer.WriteLine($"<{wanted}>");
                section = wanted;
            }
            WriteRow(renderer, table, row);
        }
        if (section is not null)
        {
            renderer.WriteLine($"</{section}>");
        }
        renderer.WriteLine("</table>");
    }

    private static void WriteRow(HtmlRenderer renderer, Table table, TableRow row)
    {
        var tag = row.IsHeader ? "th" : "td";
        renderer.WriteLine("<tr>");
        for (var i = 0; i < row.Count; i++)
        {
            var cell = (TableCell)row[i];
            renderer.EnsureLine();
            renderer.Write('<').Write(tag);
            if (cell.ColumnSpan != 1)
            {
                renderer.Write($" colspan=\"{cell.ColumnSpan}\"");
            }
            if (cell.RowSpan != 1)
            {
                renderer.Write($" rowspan=\"{cell.RowSpan}\"");
            }
            if (AlignmentClass(table, cell, i) is { } alignment)
            {
                renderer.Write($" class=\"{alignment}\"");
            }
            renderer.Write('>');
            var implicitParagraph = renderer.ImplicitParagraph;
            renderer.ImplicitParagraph = cell.Count == 1;
            renderer.Write(cell);
            renderer.ImplicitParagraph = implicitParagraph;
            renderer.WriteLine($"</{tag}>");
        }
        renderer.WriteLine("</tr>");
    }

    private static string? AlignmentClass(Table table, TableCell cell, int position)
    {
        var columns = table.ColumnDefinitions;
        if (columns.Count == 0)
        {
            return null;
        }
        var column = cell.ColumnIndex >= 0 && cell.ColumnIndex < columns.Count ? cell.ColumnIndex : position;
        return columns[Math.Min(column, columns.Count - 1)].Alignment switch
        {
            TableColumnAlign.Left => AlignLeft,
            TableColumnAlign.Center => AlignCenter,
            TableColumnAlign.Right => AlignRight,
            _ => null,
        };
    }

    // Plain-text rendering: the cells' text, a space apart so words of neighbouring cells stay apart.
    private static void WriteCellsAsText(HtmlRenderer renderer, Table table)
    {
        var implicitParagraph = renderer.ImplicitParagraph;
        renderer.ImplicitParagraph = true;
        foreach (var cell in table.OfType<TableRow>().SelectMany(row => row.OfType<TableCell>()))
        {
            renderer.Write(cell);
            renderer.Write(' ');
        }
        renderer.ImplicitParagraph = implicitParagraph;
    }
}

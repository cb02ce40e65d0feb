using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace Nova.Services.Markdown;

/// <summary>
/// Renders one message while it is being written. Each update parses only the text from the
/// first block that may still change; blocks before it are rendered and sanitized once and kept,
/// so the cost of an update follows the size of the last block or two, not of the answer. The
/// blocks always add up to what <see cref="MarkdownRenderer.Render"/> gives for the same text,
/// except that code in a block still growing is not highlighted until the block is finished or
/// <see cref="Complete"/> is called. Use one instance per message from one writer at a time;
/// the lists it returns are snapshots that stay valid and unchanged while later updates run.
/// A single block that keeps growing (one long code block or list) is re-rendered whole on
/// each update, so its cost grows with that block.
/// </summary>
public sealed partial class IncrementalMarkdownRenderer
{
    private static readonly StringComparer LabelComparer = StringComparer.OrdinalIgnoreCase;

    private readonly MarkdownRenderer _renderer;
    private readonly StringBuilder _text = new();
    private readonly List<(int Start, int End)> _finishedSources = [];
    private readonly Dictionary<string, List<int>> _finishedByLabel = new(LabelComparer);
    private readonly Dictionary<string, LinkReferenceDefinition> _finishedDefinitions = new(LabelComparer);
    private Dictionary<string, LinkReferenceDefinition> _laterDefinitions = new(LabelComparer);
    private RenderedBlock[] _finished = new RenderedBlock[16];
    private int _finishedCount;
    private int _nextKey;
    private int _growingStart;

    internal IncrementalMarkdownRenderer(MarkdownRenderer renderer, int sources)
    {
        _renderer = renderer;
        Sources = sources;
    }

    /// <summary>How many sources <c>[n]</c> may cite; fixed for the renderer, so no finished block is rendered again for it.</summary>
    public int Sources { get; }

    /// <summary>The blocks as of the last update.</summary>
    public IReadOnlyList<RenderedBlock> Blocks { get; private set; } = RenderedBlockList.Empty;

    /// <summary>How many times a block was rendered and sanitized; lets tests see the work done.</summary>
    internal int BlockRenders { get; private set; }

    /// <summary>How many blocks are finished and kept, counting those that render to nothing.</summary>
    internal int FinishedBlocks => _nextKey;

    /// <summary>How many characters the last update parsed.</summary>
    internal int LastParsedLength { get; private set; }

    /// <summary>
    /// Takes the whole text so far; only a memory compare, no parsing, checks that it continues
    /// the text seen before. When it does not (a retry, an edit), rendering starts over from
    /// the first block.
    /// </summary>
    public IReadOnlyList<RenderedBlock> Update(string textSoFar)
    {
        ArgumentNullException.ThrowIfNull(textSoFar);
        var clean = UntrustedText.Neutralize(textSoFar);
        if (clean.Length < _text.Length || !_text.Equals(clean.AsSpan(0, _text.Length)))
        {
            Reset();
        }
        else if (clean.Length == _text.Length && Blocks.Count > 0)
        {
            return Blocks;
        }
        _text.Append(clean, _text.Length, clean.Length - _text.Length);
        return Refresh(complete: false);
    }

    /// <summary>Takes the next piece of text.</summary>
    public IReadOnlyList<RenderedBlock> Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text.Append(UntrustedText.Neutralize(text));
        return Refresh(complete: false);
    }

    /// <summary>
    /// Call when the answer is complete: the last blocks are rendered as finished ones (code
    /// highlighted), so the list equals <see cref="MarkdownRenderer.Render"/> of the whole text (with the same sources).
    /// </summary>
    public IReadOnlyList<RenderedBlock> Complete() => Refresh(complete: true);

    private void Reset()
    {
        _text.Clear();
        _finishedSources.Clear();
        _finishedByLabel.Clear();
        _finishedDefinitions.Clear();
        _laterDefinitions = new(LabelComparer);
        _finished = new RenderedBlock[16];
        _finishedCount = 0;
        _nextKey = 0;
        _growingStart = 0;
        Blocks = RenderedBlockList.Empty;
    }

    private IReadOnlyList<RenderedBlock> Refresh(bool complete)
    {
        var tail = _text.ToString(_growingStart, _text.Length - _growingStart);
        LastParsedLength = tail.Length;
        var document = _renderer.TryParse(tail, _finishedDefinitions, Sources);
        if (document is null)
        {
            BlockRenders++;
            Blocks = new RenderedBlockList(_finished, _finishedCount, [new RenderedBlock(_nextKey, MarkdownRenderer.PlainText(tail), Growing: !complete)]);
            return Blocks;
        }

        // Each unit's source runs from the start of its first line to the next unit's.
        var units = Units(document, tail);
        var inOrder = true;
        for (var i = 1; i < units.Count; i++)
        {
            inOrder &= units[i].Start >= units[i - 1].Start;
        }
        int End(int unit) => unit + 1 < units.Count ? units[unit + 1].Start : tail.Length;

        // A unit is finished once a later unit has begun on a line that is complete: that line
        // closed it for good. The last line may still change what it starts ("2" becoming "2."
        // continues a list), so the unit before one starting there is not finished yet.
        var lastLineStart = tail.LastIndexOf('\n') + 1;
        var startedOnCompleteLines = 0;
        while (startedOnCompleteLines < units.Count && units[startedOnCompleteLines].Start < lastLineStart)
        {
            startedOnCompleteLines++;
        }
        // Units out of source order would make the cut unreliable: then nothing is finished yet.
        var finishedNow = inOrder ? Math.Max(0, startedOnCompleteLines - 1) : 0;
        var growingFrom = finishedNow < units.Count ? units[finishedNow].Start : tail.Length;

        var previousFinishedCount = _finishedCount;
        var changedLabels = TrackDefinitions(document, growingFrom);
        for (var i = 0; i < finishedNow; i++)
        {
            var (start, first, count) = units[i];
            var html = RenderBlocks(document, first, count, tail[start..End(i)], highlight: true);
            Finish(html, _growingStart + start, _growingStart + End(i));
        }
        RenderAgainBlocksCiting(changedLabels, previousFinishedCount);
        if (finishedNow > 0)
        {
            _growingStart += growingFrom;
        }

        var growing = new List<RenderedBlock>();
        for (var i = finishedNow; i < units.Count; i++)
        {
            var (start, first, count) = units[i];
            var html = RenderBlocks(document, first, count, tail[start..End(i)], highlight: complete);
            if (html.Length > 0)
            {
                growing.Add(new RenderedBlock(_nextKey + i - finishedNow, html, Growing: !complete));
            }
        }
        Blocks = new RenderedBlockList(_finished, _finishedCount, [.. growing]);
        return Blocks;
    }

    /// <summary>
    /// The top-level blocks grouped into the pieces the answer is cut into, each with the offset
    /// of its first line. A paragraph that begins with link definitions becomes two blocks, the
    /// rest of the paragraph (with the span of the whole) and then the definitions; they stay one
    /// unit, as a later line can still turn more of the paragraph into definitions.
    /// </summary>
    private static List<(int Start, int First, int Count)> Units(MarkdownDocument document, string tail)
    {
        var units = new List<(int Start, int First, int Count)>(document.Count);
        for (var i = 0; i < document.Count; i++)
        {
            var start = SourceStart(document[i]);
            if (document[i] is ParagraphBlock paragraph
                && i + 1 < document.Count
                && document[i + 1] is LinkReferenceDefinitionGroup { Count: > 0 } definitions
                && paragraph.Span.End >= definitions[0].Span.Start)
            {
                units.Add((LineStart(tail, Math.Min(start, definitions[0].Span.Start)), i, 2));
                i++;
            }
            else
            {
                units.Add((LineStart(tail, start), i, 1));
            }
        }
        return units;
    }

    private void Finish(string html, int start, int end)
    {
        var key = _nextKey++;
        if (html.Length == 0)
        {
            return;
        }
        if (_finishedCount == _finished.Length)
        {
            // A new array, never a resize in place: snapshots keep reading the old one.
            var larger = new RenderedBlock[_finished.Length * 2];
            Array.Copy(_finished, larger, _finishedCount);
            _finished = larger;
        }
        var index = _finishedCount++;
        _finished[index] = new RenderedBlock(key, html);
        _finishedSources.Add((start, end));
        foreach (Match match in BracketedText().Matches(_text.ToString(start, end - start)))
        {
            var label = NormalizeLabel(match.Groups[1].Value);
            if (!_finishedByLabel.TryGetValue(label, out var indexes))
            {
                _finishedByLabel[label] = indexes = [];
            }
            if (indexes.Count == 0 || indexes[^1] != index)
            {
                indexes.Add(index);
            }
        }
    }

    /// <summary>
    /// Moves definitions in the finished part into <see cref="_finishedDefinitions"/> and notes the
    /// labels whose meaning changed for blocks finished earlier: a reference may come before its
    /// definition, and a definition still being written changes with each token.
    /// </summary>
    private HashSet<string> TrackDefinitions(MarkdownDocument document, int growingFrom)
    {
        var before = new Dictionary<string, LinkReferenceDefinition>(_laterDefinitions, LabelComparer);
        var later = new Dictionary<string, LinkReferenceDefinition>(LabelComparer);
        var changed = new HashSet<string>(LabelComparer);
        var all = document.GetLinkReferenceDefinitions(addGroup: false).Links;
        foreach (var (label, definition) in all)
        {
            if (_finishedDefinitions.ContainsKey(label))
            {
                continue;
            }
            var copy = new LinkReferenceDefinition(definition.Label, definition.Url, definition.Title);
            if (definition.Span.Start < growingFrom)
            {
                _finishedDefinitions[label] = copy;
            }
            else
            {
                later[label] = copy;
            }
            if (!before.Remove(label, out var old) || old.Url != copy.Url || old.Title != copy.Title)
            {
                changed.Add(label);
            }
        }
        changed.UnionWith(before.Keys);
        _laterDefinitions = later;
        return changed;
    }

    private void RenderAgainBlocksCiting(HashSet<string> labels, int finishedBefore)
    {
        var indexes = new SortedSet<int>();
        foreach (var label in labels)
        {
            if (_finishedByLabel.TryGetValue(NormalizeLabel(label), out var citing))
            {
                indexes.UnionWith(citing.Where(i => i < finishedBefore));
            }
        }
        if (indexes.Count == 0)
        {
            return;
        }
        var definitions = new Dictionary<string, LinkReferenceDefinition>(_laterDefinitions, LabelComparer);
        foreach (var (label, definition) in _finishedDefinitions)
        {
            definitions[label] = definition;
        }
        var replaced = (RenderedBlock[])_finished.Clone();
        foreach (var index in indexes)
        {
            var (start, end) = _finishedSources[index];
            var source = _text.ToString(start, end - start);
            var alone = _renderer.TryParse(source, definitions, Sources);
            var html = alone is null ? MarkdownRenderer.PlainText(source) : RenderBlocks(alone, 0, alone.Count, source, highlight: true);
            replaced[index] = replaced[index] with { Html = html };
        }
        _finished = replaced;
    }

    private string RenderBlocks(MarkdownDocument document, int first, int count, string source, bool highlight)
    {
        BlockRenders++;
        if (count == 1)
        {
            return _renderer.RenderBlock(document[first], source, highlight);
        }
        var html = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            html.Append(_renderer.RenderBlock(document[i], source, highlight));
        }
        return html.ToString();
    }

    // Markdig gives a definition group the span of its first line within the group's own text.
    private static int SourceStart(Block block) =>
        block is LinkReferenceDefinitionGroup { Count: > 0 } group ? group[0].Span.Start : block.Span.Start;

    private static int LineStart(string text, int position) =>
        position <= 0 ? 0 : text.LastIndexOf('\n', position - 1) + 1;

    // Over-matching only costs a re-render; a label split across lines of a block quote ("> ")
    // is the known case it misses, which then shows as text until the answer is rendered again.
    private static string NormalizeLabel(string label) => WhiteSpace().Replace(label.Trim(), " ");

    [GeneratedRegex(@"\[((?:\\.|[^\\\[\]]){1,999})\]", RegexOptions.Singleline)]
    private static partial Regex BracketedText();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

namespace Nova.Services.Rag.Parsing;

/// <summary>Tracks the headings above the current position (level 1 outermost).</summary>
internal sealed class HeadingStack
{
    private const int MaxHeadingChars = 200;
    private readonly List<(int Level, string Text)> _stack = [];
    private IReadOnlyList<string> _current = [];

    public IReadOnlyList<string> Current => _current;

    public void Push(int level, string text)
    {
        var clean = BlockCollector.Normalize(text).Replace('\n', ' ');
        if (clean.Length == 0)
        {
            return;
        }
        if (clean.Length > MaxHeadingChars)
        {
            clean = clean[..MaxHeadingChars];
        }
        _stack.RemoveAll(h => h.Level >= level);
        _stack.Add((level, clean));
        _current = _stack.Select(h => h.Text).ToArray();
    }
}

namespace Nova.Services.Rag.Parsing;

/// <summary>Collects blocks and fails the document once its text passes the cap, before memory runs away.</summary>
internal sealed class BlockCollector(ParseLimits limits)
{
    private readonly List<ParsedBlock> _blocks = [];
    private long _chars;

    public IReadOnlyList<ParsedBlock> Blocks => _blocks;

    public void Add(string text, int? page, IReadOnlyList<string> headings)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0)
        {
            return;
        }
        _chars += normalized.Length;
        if (_chars > limits.MaxTextChars)
        {
            throw new DocumentParseException($"The document has more than {limits.MaxTextChars:N0} characters of text.");
        }
        _blocks.Add(new ParsedBlock(normalized, page, headings));
    }

    /// <summary>Collapses runs of spaces, drops control characters, keeps line breaks.</summary>
    internal static string Normalize(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var pendingSpace = false;
        var pendingNewline = false;
        foreach (var c in text)
        {
            if (c is '\n' or '\r')
            {
                pendingNewline = builder.Length > 0;
                pendingSpace = false;
            }
            else if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\u00AD')
            {
                pendingSpace = builder.Length > 0;
            }
            else
            {
                if (pendingNewline)
                {
                    builder.Append('\n');
                }
                else if (pendingSpace)
                {
                    builder.Append(' ');
                }
                pendingNewline = pendingSpace = false;
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}

namespace Nova.Services.Rag.Chunking;

/// <summary>A chunk before it is embedded.</summary>
public sealed record TextChunk(int Ordinal, string Text, int? Page, string HeadingPath, int TokenCount)
{
    public const string HeadingSeparator = " > ";

    /// <summary>What is embedded and indexed: the heading path gives a passage its context.</summary>
    public string IndexText => IndexTextOf(Text, HeadingPath);

    public static string IndexTextOf(string text, string headingPath) =>
        headingPath.Length == 0 ? text : headingPath + "\n" + text;
}

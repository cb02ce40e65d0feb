namespace Nova.Services.Chat.Data;

/// <summary>
/// A passage an answer was grounded in, numbered as the model saw it ([1], [2], …). A copy, not a
/// reference: the document name, place and snippet stay when the document is deleted or re-indexed,
/// so the citation can still say what it pointed to.
/// </summary>
public sealed class MessageSource
{
    public const int MaxSnippetLength = 1000;
    public const int MaxHeadingPathLength = 1000;

    public Guid MessageId { get; set; }

    /// <summary>1-based, as cited in the answer.</summary>
    public int Number { get; set; }

    public Guid ChunkId { get; set; }

    public Guid DocumentId { get; set; }

    public required string DocumentName { get; set; }

    public int? Page { get; set; }

    /// <summary>Headings above the passage joined with " > ", or empty.</summary>
    public string HeadingPath { get; set; } = "";

    public required string Snippet { get; set; }

    /// <summary>Cosine similarity of the passage to the question; null when it was found by keywords alone.</summary>
    public float? Score { get; set; }
}

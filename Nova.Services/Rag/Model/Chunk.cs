namespace Nova.Services.Rag.Model;

/// <summary>A passage of a document as it was embedded and indexed; the unit of retrieval and citation.</summary>
public sealed class Chunk
{
    public Guid Id { get; set; }

    public Guid DocumentId { get; set; }

    public Document? Document { get; set; }

    /// <summary>Position within the document, from 0.</summary>
    public int Ordinal { get; set; }

    public required string Text { get; set; }

    /// <summary>1-based page the chunk starts on, for formats that have pages.</summary>
    public int? Page { get; set; }

    /// <summary>Headings above the chunk joined with " > ", or empty.</summary>
    public string HeadingPath { get; set; } = "";

    public int TokenCount { get; set; }

    /// <summary>
    /// The embedding as little-endian float32 bytes. Kept whatever the vector store so that the
    /// embedded store can load it and an external store can be rebuilt without re-embedding.
    /// </summary>
    public byte[]? Embedding { get; set; }
}

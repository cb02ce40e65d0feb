using System.ComponentModel.DataAnnotations;

namespace Nova.Services.Rag;

/// <summary>Bound from <c>Nova:Rag</c>: storage, caps and chunking for ingestion.</summary>
public sealed class RagOptions
{
    public const string Section = "Nova:Rag";

    /// <summary>Folder for stored uploads, relative to the content root unless rooted.</summary>
    [Required]
    public string StoragePath { get; set; } = "data/documents";

    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 2_000;

    /// <summary>Characters of extracted text per document; beyond this the document fails.</summary>
    [Range(1, int.MaxValue)]
    public int MaxTextChars { get; set; } = 20_000_000;

    /// <summary>Total uncompressed bytes a DOCX may expand to, and the most one PDF stream may inflate to.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUncompressedBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Uncompressed/compressed ratio above which a zip entry or a PDF stream (past 1 MB) counts as a bomb.</summary>
    [Range(2, 10_000)]
    public int MaxCompressionRatio { get; set; } = 100;

    /// <summary>How long reading one file may take before the document fails; a hostile file can make a parser spin.</summary>
    [Range(1, 3_600)]
    public int ParseTimeoutSeconds { get; set; } = 120;

    [Range(16, 2_000)]
    public int ChunkTokens { get; set; } = 200;

    [Range(0, 1_000)]
    public int ChunkOverlapTokens { get; set; } = 40;

    [Range(1, 16)]
    public int IngestionConcurrency { get; set; } = 2;

    /// <summary>How often workers look in the database for documents queued through other replicas.</summary>
    [Range(1, 600)]
    public int IngestionPollSeconds { get; set; } = 5;

    [Range(1, 1_024)]
    public int EmbeddingBatchSize { get; set; } = 32;

    [Range(1, 600)]
    public int UrlTimeoutSeconds { get; set; } = 30;

    [Range(0, 20)]
    public int UrlMaxRedirects { get; set; } = 5;
}

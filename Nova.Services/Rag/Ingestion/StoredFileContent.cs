using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// The bytes of an uploaded file, kept in the database so that every replica reads them
/// (<see cref="PostgresDocumentFileStore"/>). The table exists on SQLite too, unused: there files stay in the local folder.
/// </summary>
public sealed class StoredFileContent
{
    public const int KeyLength = 32;

    /// <summary>The generated storage key (<see cref="Model.Document.StorageKey"/>).</summary>
    public required string Key { get; set; }

    public required byte[] Content { get; set; }
}

internal sealed class StoredFileContentConfiguration : IEntityTypeConfiguration<StoredFileContent>
{
    public void Configure(EntityTypeBuilder<StoredFileContent> builder)
    {
        builder.ToTable("RagFiles");
        builder.HasKey(f => f.Key);
        builder.Property(f => f.Key).HasMaxLength(StoredFileContent.KeyLength);
    }
}

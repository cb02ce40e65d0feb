using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Rag.Model;

internal sealed class CollectionConfiguration : IEntityTypeConfiguration<Collection>
{
    public void Configure(EntityTypeBuilder<Collection> builder)
    {
        builder.ToTable("RagCollections");
        builder.Property(c => c.Name).HasMaxLength(Collection.MaxNameLength);
        builder.Property(c => c.Visibility).HasMaxLength(256);
        builder.HasIndex(c => c.Name).IsUnique();
    }
}

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("RagDocuments");
        builder.Property(d => d.DisplayName).HasMaxLength(Document.MaxDisplayNameLength);
        builder.Property(d => d.StorageKey).HasMaxLength(64);
        builder.Property(d => d.SourceUrl).HasMaxLength(Document.MaxUrlLength);
        builder.Property(d => d.ContentType).HasMaxLength(128);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.FailureReason).HasMaxLength(Document.MaxReasonLength);
        builder.Property(d => d.UploadedBy).HasMaxLength(450);
        builder.HasIndex(d => d.Status);
        builder.HasIndex(d => d.CreatedAt);
        builder.HasIndex(d => d.Sha256);
    }
}

internal sealed class DocumentCollectionConfiguration : IEntityTypeConfiguration<DocumentCollection>
{
    public void Configure(EntityTypeBuilder<DocumentCollection> builder)
    {
        builder.ToTable("RagDocumentCollections");
        builder.HasKey(dc => new { dc.DocumentId, dc.CollectionId });
        builder.HasOne(dc => dc.Document).WithMany(d => d.Collections).HasForeignKey(dc => dc.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(dc => dc.Collection).WithMany(c => c.Documents).HasForeignKey(dc => dc.CollectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(dc => dc.CollectionId);
    }
}

internal sealed class ChunkConfiguration : IEntityTypeConfiguration<Chunk>
{
    public void Configure(EntityTypeBuilder<Chunk> builder)
    {
        builder.ToTable("RagChunks");
        builder.Property(c => c.HeadingPath).HasMaxLength(1000);
        builder.HasOne(c => c.Document).WithMany(d => d.Chunks).HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
    }
}

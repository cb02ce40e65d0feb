using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Rag.Model;

namespace Nova.Services.Chat.Data;

internal sealed class MessageSourceConfiguration : IEntityTypeConfiguration<MessageSource>
{
    public void Configure(EntityTypeBuilder<MessageSource> builder)
    {
        builder.ToTable("ChatMessageSources");
        builder.HasKey(s => new { s.MessageId, s.Number });
        builder.Property(s => s.DocumentName).HasMaxLength(Document.MaxDisplayNameLength);
        builder.Property(s => s.HeadingPath).HasMaxLength(MessageSource.MaxHeadingPathLength);
        builder.Property(s => s.Snippet).HasMaxLength(MessageSource.MaxSnippetLength);
        // No foreign key to the chunk or document: the copy outlives them.
        builder.HasOne<ChatMessage>().WithMany().HasForeignKey(s => s.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

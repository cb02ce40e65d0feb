using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Chat.Data;

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> builder)
    {
        builder.ToTable("ChatMessages");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Feedback).HasConversion<string>().HasMaxLength(8);
        builder.Property(m => m.Error).HasMaxLength(ChatMessage.MaxErrorLength);
        builder.Property(m => m.IdempotencyKey).HasMaxLength(ChatMessage.MaxIdempotencyKeyLength);
        builder.Property(m => m.Model).HasMaxLength(Conversation.MaxModelLength);
        builder.Property(m => m.Endpoint).HasMaxLength(200);
        builder.Property(m => m.CreatedAt).HasConversion<UtcDateTimeConverter>();
        builder.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        // NULL keys (answers) never collide on either provider; equal keys of one conversation do.
        builder.HasIndex(m => new { m.ConversationId, m.IdempotencyKey }).IsUnique();
        // Startup recovery looks for generations a crash left running; only those rows are indexed.
        builder.HasIndex(m => m.Status).HasFilter("\"Status\" = 'Streaming'");
    }
}

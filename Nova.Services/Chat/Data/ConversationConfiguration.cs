using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Data;

namespace Nova.Services.Chat.Data;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.OwnerId).HasMaxLength(450);
        builder.Property(c => c.Title).HasMaxLength(Conversation.MaxTitleLength);
        builder.Property(c => c.Model).HasMaxLength(Conversation.MaxModelLength);
        builder.Property(c => c.DocumentScope).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.CreatedAt).HasConversion<UtcDateTimeConverter>();
        builder.Property(c => c.UpdatedAt).HasConversion<UtcDateTimeConverter>();
        builder.HasOne<NovaUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Messages).WithOne(m => m.Conversation).HasForeignKey(m => m.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
        // The drawer: one user's chats, pinned first, most recent first.
        builder.HasIndex(c => new { c.OwnerId, c.IsPinned, c.UpdatedAt });
    }
}

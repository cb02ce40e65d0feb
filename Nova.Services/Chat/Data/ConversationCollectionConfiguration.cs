using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Rag.Model;

namespace Nova.Services.Chat.Data;

internal sealed class ConversationCollectionConfiguration : IEntityTypeConfiguration<ConversationCollection>
{
    public void Configure(EntityTypeBuilder<ConversationCollection> builder)
    {
        builder.ToTable("ConversationCollections");
        builder.HasKey(c => new { c.ConversationId, c.CollectionId });
        builder.HasOne<Conversation>().WithMany(c => c.Collections).HasForeignKey(c => c.ConversationId).OnDelete(DeleteBehavior.Cascade);
        // A deleted collection drops out of the chats narrowed to it.
        builder.HasOne<Collection>().WithMany().HasForeignKey(c => c.CollectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.CollectionId);
    }
}

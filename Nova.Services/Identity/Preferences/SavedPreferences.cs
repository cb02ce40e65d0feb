using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Chat.Data;
using Nova.Services.Data;

namespace Nova.Services.Identity.Preferences;

/// <summary>The row of a user who has saved their preferences; users without one have the defaults.</summary>
internal sealed class SavedPreferences
{
    public required string UserId { get; set; }

    public ThemePreference Theme { get; set; }

    public bool EffectsEnabled { get; set; }

    public string? DefaultModel { get; set; }

    public bool EnterToSend { get; set; }
}

internal sealed class SavedPreferencesConfiguration : IEntityTypeConfiguration<SavedPreferences>
{
    public void Configure(EntityTypeBuilder<SavedPreferences> builder)
    {
        builder.ToTable("UserPreferences");
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.Theme).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.DefaultModel).HasMaxLength(Conversation.MaxModelLength);
        builder.HasOne<NovaUser>().WithOne().HasForeignKey<SavedPreferences>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

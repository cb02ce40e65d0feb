using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Data;

internal sealed class NovaUserConfiguration : IEntityTypeConfiguration<NovaUser>
{
    public void Configure(EntityTypeBuilder<NovaUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(NovaUser.MaxDisplayNameLength);
        builder.Property(u => u.Approval).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(u => u.CreatedAt);
    }
}

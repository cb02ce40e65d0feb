using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Data;

/// <summary>
/// A single row naming the account the <c>Nova:Admin</c> seed created (or that proved the configured
/// password). The seed recognises its own account by this id, never by the email, which any user may
/// take (see docs/decisions/0004-admin-seed-owns-its-account.md).
/// </summary>
public sealed class SeededAdmin
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public required string UserId { get; set; }

    public DateTimeOffset SeededAt { get; set; }
}

internal sealed class SeededAdminConfiguration : IEntityTypeConfiguration<SeededAdmin>
{
    public void Configure(EntityTypeBuilder<SeededAdmin> builder)
    {
        builder.ToTable("SeededAdmin");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.UserId).HasMaxLength(450);
    }
}

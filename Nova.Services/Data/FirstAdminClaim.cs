using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Nova.Services.Data;

/// <summary>
/// A single row whose primary key makes "the first admin" a race the database decides:
/// of two registrations on an empty database, only one insert can succeed.
/// </summary>
public sealed class FirstAdminClaim
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public required string UserId { get; set; }

    public DateTimeOffset ClaimedAt { get; set; }
}

internal sealed class FirstAdminClaimConfiguration : IEntityTypeConfiguration<FirstAdminClaim>
{
    public void Configure(EntityTypeBuilder<FirstAdminClaim> builder)
    {
        builder.ToTable("FirstAdminClaim");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.UserId).HasMaxLength(450);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Chat.Data;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// A running Nova process and its heartbeat. Work a replica owns (an answer being written, a document
/// being ingested) names it; once its heartbeat is older than the lease, another replica takes the work over.
/// </summary>
public sealed class Replica
{
    public const int MaxNameLength = 200;

    public Guid Id { get; set; }

    /// <summary>Host name and process id, for operators reading the table or the logs.</summary>
    public required string Name { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }
}

internal sealed class ReplicaConfiguration : IEntityTypeConfiguration<Replica>
{
    public void Configure(EntityTypeBuilder<Replica> builder)
    {
        builder.ToTable("Replicas");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Name).HasMaxLength(Replica.MaxNameLength);
        builder.Property(r => r.StartedAt).HasConversion<UtcDateTimeConverter>();
        builder.Property(r => r.HeartbeatAt).HasConversion<UtcDateTimeConverter>();
        builder.HasIndex(r => r.HeartbeatAt);
    }
}

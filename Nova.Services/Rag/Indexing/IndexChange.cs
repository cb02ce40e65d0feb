using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Nova.Services.Chat.Data;

namespace Nova.Services.Rag.Indexing;

/// <summary>What an <see cref="IndexChange"/> asks every replica to do with its in-memory indexes.</summary>
public enum IndexChangeKind
{
    /// <summary>Read the document again from the database: index its chunks if it is Ready, else drop it.</summary>
    Document = 0,

    /// <summary>Throw both indexes away and build them again from the database (re-index all).</summary>
    All = 1,
}

/// <summary>
/// One row of the index change feed (<see cref="IndexChangeFeed"/>), written in the transaction of the change it
/// describes. It names what changed, not how: a replica applying it reads the current state from the database.
/// </summary>
public sealed class IndexChange
{
    /// <summary>Increases with every row, but rows may commit out of this order; readers follow <see cref="TransactionId"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>The writing transaction's id (PostgreSQL <c>pg_current_xact_id()</c>), filled in by the database.</summary>
    public long TransactionId { get; set; }

    public Guid? DocumentId { get; set; }

    public IndexChangeKind Kind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IndexChangeConfiguration : IEntityTypeConfiguration<IndexChange>
{
    public const string Table = "RagIndexChanges";

    public void Configure(EntityTypeBuilder<IndexChange> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.CreatedAt).HasConversion<UtcDateTimeConverter>();
        builder.HasIndex(c => c.TransactionId);
        builder.HasIndex(c => c.CreatedAt);
    }

    /// <summary>
    /// The transaction id comes from the database, which alone knows it. Only PostgreSQL has the function, and only
    /// PostgreSQL writes the feed (SQLite is one process), so SQLite's table keeps a plain column.
    /// </summary>
    public static void ConfigurePostgres(ModelBuilder builder) =>
        builder.Entity<IndexChange>().Property(c => c.TransactionId).HasDefaultValueSql("pg_current_xact_id()::text::bigint");
}

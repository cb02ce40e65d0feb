using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.Services.Rag.Indexing;

/// <summary>What one read of the feed found, and where the next read starts.</summary>
public sealed record IndexChangeRead(IReadOnlyList<IndexChange> Changes, long Horizon);

/// <summary>
/// The index change feed on PostgreSQL: every change to what the embedded indexes hold (a document turning Ready,
/// deleted, queued again, moved between collections, all re-indexed) adds an <see cref="IndexChange"/> in its own
/// transaction, and every replica reads the rows to bring its in-memory indexes in line (<see cref="IndexCatchUp"/>).
/// <para>
/// Sequence numbers are taken when a row is written, not when it commits, so "everything after the last number seen"
/// would skip a row that commits late with a smaller number. Reads follow transaction ids instead: the horizon
/// (<c>pg_snapshot_xmin</c> of the read's snapshot) is the oldest transaction still running, so every transaction
/// below it has ended and its rows are already visible. The next read starts at that horizon; rows at or above it are
/// read again until the horizon passes them, and the reader skips those it has applied.
/// </para>
/// </summary>
public sealed class IndexChangeFeed(IDbContextFactory<NovaDbContext> contexts, IOptions<IndexCatchUpOptions> options, TimeProvider time)
{
    /// <summary>Adds a row saying the document changed to <paramref name="db"/>'s pending writes; it commits with them.</summary>
    public void Record(NovaDbContext db, Guid documentId) =>
        db.Add(new IndexChange { DocumentId = documentId, Kind = IndexChangeKind.Document, CreatedAt = time.GetUtcNow() });

    /// <summary>Adds a row saying every replica must rebuild both indexes from the database.</summary>
    public void RecordAll(NovaDbContext db) =>
        db.Add(new IndexChange { Kind = IndexChangeKind.All, CreatedAt = time.GetUtcNow() });

    /// <summary>Where a reader starting now begins: every transaction below it has ended, so its effects are in the database.</summary>
    public async Task<long> HorizonAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await HorizonAsync(db, cancellationToken);
    }

    /// <summary>Every row written by a transaction at or above <paramref name="horizon"/> that has committed, in sequence order.</summary>
    public async Task<IndexChangeRead> ReadAsync(long horizon, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // One snapshot for the horizon and the rows: a row committing between two snapshots would otherwise be passed by.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var next = await HorizonAsync(db, cancellationToken);
        var changes = await db.Set<IndexChange>().AsNoTracking()
            .Where(c => c.TransactionId >= horizon)
            .OrderBy(c => c.Sequence)
            .ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IndexChangeRead(changes, next);
    }

    /// <summary>Deletes rows older than <c>Nova:Rag:CatchUp:Retention</c>; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var before = time.GetUtcNow() - options.Value.Retention;
        return await db.Set<IndexChange>().Where(c => c.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    private static Task<long> HorizonAsync(NovaDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<long>($"""SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS "Value" """)
            .SingleAsync(cancellationToken);
}

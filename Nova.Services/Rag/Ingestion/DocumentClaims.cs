using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Which replica ingests which document, recorded in <see cref="Document.ReplicaId"/>. A replica claims a queued
/// document (Uploaded, no owner) in one atomic write before working on it, and writes to a document only while the
/// claim is still its own; documents whose owner's lease expired are released to the queue for anyone to claim.
/// </summary>
public sealed class DocumentClaims(
    IDbContextFactory<NovaDbContext> contexts,
    ReplicaLeases leases,
    TimeProvider time,
    ILogger<DocumentClaims> logger)
{
    /// <summary>This replica's id, written into the documents it claims.</summary>
    public Guid Self => leases.Self;

    /// <summary>The document, as long as this replica holds its claim: the filter of every write ingestion makes.</summary>
    public IQueryable<Document> Held(NovaDbContext db, Guid documentId)
    {
        var self = leases.Self;
        return db.Set<Document>().Where(d => d.Id == documentId && d.ReplicaId == self);
    }

    /// <summary>Claims the oldest queued document for this replica; null when none is waiting.</summary>
    public async Task<Guid?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var self = leases.Self;
        if (db.Database.IsNpgsql())
        {
            // SKIP LOCKED: replicas claiming at once each take a different row, and none waits for another's transaction.
            var claimed = await db.Database.SqlQuery<Guid>($"""
                UPDATE "RagDocuments" SET "ReplicaId" = {self}
                WHERE "Id" = (SELECT "Id" FROM "RagDocuments"
                              WHERE "Status" = {nameof(DocumentStatus.Uploaded)} AND "ReplicaId" IS NULL
                              ORDER BY "Id" LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken);
            return claimed.Count == 0 ? null : claimed[0];
        }
        // SQLite is one process: a conditional update is enough, and a worker that loses the race to another looks again.
        while (await Queued(db).OrderBy(d => d.Id).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken) is { } candidate)
        {
            if (await Queued(db).Where(d => d.Id == candidate).ExecuteUpdateAsync(s => s.SetProperty(d => d.ReplicaId, self), cancellationToken) == 1)
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Puts documents whose owner's lease expired (or that were left in progress by a version without owners) back
    /// in the queue, in one conditional write: of several replicas releasing at once, one does it. Their chunks are
    /// purged by whoever claims them next.
    /// </summary>
    public async Task<int> ReleaseOrphanedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var live = leases.Live(db);
        var now = time.GetUtcNow();
        var released = await db.Set<Document>()
            .Where(d => ((d.Status == DocumentStatus.Parsing || d.Status == DocumentStatus.Chunking || d.Status == DocumentStatus.Embedding)
                         && (d.ReplicaId == null || !live.Contains(d.ReplicaId.Value)))
                        || (d.Status == DocumentStatus.Uploaded && d.ReplicaId != null && !live.Contains(d.ReplicaId.Value)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DocumentStatus.Uploaded)
                .SetProperty(d => d.ReplicaId, (Guid?)null)
                .SetProperty(d => d.Progress, 0)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);
        if (released > 0)
        {
            logger.LogWarning("Queued {Count} documents again whose ingestion was left by a stopped replica", released);
        }
        return released;
    }

    private static IQueryable<Document> Queued(NovaDbContext db) =>
        db.Set<Document>().Where(d => d.Status == DocumentStatus.Uploaded && d.ReplicaId == null);
}

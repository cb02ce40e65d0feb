using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag;

/// <summary>
/// Collections. Retrieval only finds documents through a collection the user may read, so a document is
/// never left in none: added without one, moved out of all, or left behind when its last collection is
/// deleted, it goes to <see cref="Collection.DefaultName"/> — visible to everyone, created on first need.
/// </summary>
public sealed partial class DocumentService
{
    public async Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<Collection>().AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new CollectionInfo(c.Id, c.Name, c.Visibility, c.Documents.Count, c.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<CollectionInfo> CreateCollectionAsync(ClaimsPrincipal actor, string name, string visibility,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = new Collection
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Name = await ValidNameAsync(db, name, null, cancellationToken),
            Visibility = await ValidVisibilityAsync(db, visibility, cancellationToken),
            CreatedAt = time.GetUtcNow(),
        };
        db.Add(collection);
        await db.SaveChangesAsync(cancellationToken);
        return new CollectionInfo(collection.Id, collection.Name, collection.Visibility, 0, collection.CreatedAt);
    }

    public async Task<CollectionInfo> UpdateCollectionAsync(ClaimsPrincipal actor, Guid id, string name, string visibility,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.Set<Collection>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
                         ?? throw new DocumentRejectedException(RejectionKind.NotFound, "No such collection.");
        collection.Name = await ValidNameAsync(db, name, id, cancellationToken);
        collection.Visibility = await ValidVisibilityAsync(db, visibility, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var count = await db.Set<DocumentCollection>().CountAsync(dc => dc.CollectionId == id, cancellationToken);
        return new CollectionInfo(collection.Id, collection.Name, collection.Visibility, count, collection.CreatedAt);
    }

    /// <summary>
    /// Deletes a collection; its documents stay, filed under their remaining collections, and those it was
    /// the only collection of move to <see cref="Collection.DefaultName"/>. The default collection itself
    /// cannot be deleted while it is the only collection of some document.
    /// </summary>
    public async Task<bool> DeleteCollectionAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collection = await db.Set<Collection>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (collection is null)
        {
            return false;
        }
        var members = db.Set<DocumentCollection>();
        var documentIds = await members.Where(dc => dc.CollectionId == id).Select(dc => dc.DocumentId).ToListAsync(cancellationToken);
        var orphans = await members.Where(dc => dc.CollectionId == id && !members.Any(o => o.DocumentId == dc.DocumentId && o.CollectionId != id))
            .Select(dc => dc.DocumentId).ToListAsync(cancellationToken);
        if (orphans.Count > 0 && collection.Name == Collection.DefaultName)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid,
                $"“{Collection.DefaultName}” is the only collection of {orphans.Count} document(s). Move them to another collection or delete them first.");
        }
        Guid? fallback = orphans.Count > 0 ? await DefaultCollectionIdAsync(cancellationToken) : null;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Set<Collection>().Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
            if (fallback is { } general)
            {
                members.AddRange(orphans.Select(d => new DocumentCollection { DocumentId = d, CollectionId = general }));
            }
            foreach (var documentId in documentIds)
            {
                changes?.Record(db, documentId);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var documentId in documentIds)
        {
            await RefileIndexesAsync(actor, documentId, cancellationToken);
        }
        return true;
    }

    /// <summary>The collections to file a document under: those asked for, or the default collection.</summary>
    private async Task<IReadOnlyList<Guid>> FilingAsync(IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken) =>
        collectionIds.Count > 0 ? collectionIds.Distinct().ToList() : [await DefaultCollectionIdAsync(cancellationToken)];

    private async Task<Guid> DefaultCollectionIdAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await FindDefaultAsync(db, cancellationToken) is { } existing)
            {
                return existing;
            }
            var now = time.GetUtcNow();
            var created = new Collection { Id = Guid.CreateVersion7(now), Name = Collection.DefaultName, Visibility = Collection.Everyone, CreatedAt = now };
            db.Add(created);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return created.Id;
            }
            catch (DbUpdateException)
            {
                // Another upload created it at the same moment; the unique name lets only one through.
            }
        }
        await using var again = await contexts.CreateDbContextAsync(cancellationToken);
        return await FindDefaultAsync(again, cancellationToken)
               ?? throw new InvalidOperationException($"The '{Collection.DefaultName}' collection could neither be created nor found.");
    }

    private static Task<Guid?> FindDefaultAsync(NovaDbContext db, CancellationToken cancellationToken) =>
        db.Set<Collection>().Where(c => c.Name == Collection.DefaultName).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Brings a document's collections in both indexes in line with the database.</summary>
    private async Task RefileIndexesAsync(ClaimsPrincipal actor, Guid documentId, CancellationToken cancellationToken)
    {
        var interrupted = false;
        await queue.WithDocumentHeldAsync(documentId, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var remaining = await db.Set<DocumentCollection>().Where(dc => dc.DocumentId == documentId).Select(dc => dc.CollectionId)
                .ToListAsync(cancellationToken);
            await index.SetDocumentCollectionsAsync(documentId, remaining, cancellationToken);
            interrupted = await db.Set<Document>().AnyAsync(d => d.Id == documentId &&
                (d.Status == DocumentStatus.Parsing || d.Status == DocumentStatus.Chunking || d.Status == DocumentStatus.Embedding), cancellationToken);
        }, cancellationToken);
        if (interrupted)
        {
            // Holding the document stopped its ingestion, which had read the old collections: start it over.
            await RetryAsync(actor, documentId, cancellationToken);
        }
    }

    private static async Task<string> ValidNameAsync(NovaDbContext db, string name, Guid? self, CancellationToken cancellationToken)
    {
        var clean = DisplayNames.Clean(name, "");
        if (clean.Length == 0 || clean.Length > Collection.MaxNameLength)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, $"A collection needs a name of 1 to {Collection.MaxNameLength} characters.");
        }
        if (await db.Set<Collection>().AnyAsync(c => c.Name == clean && c.Id != self, cancellationToken))
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, $"A collection named '{clean}' already exists.");
        }
        return clean;
    }

    private static async Task<string> ValidVisibilityAsync(NovaDbContext db, string visibility, CancellationToken cancellationToken)
    {
        if (visibility == Collection.Everyone)
        {
            return visibility;
        }
        if (!string.IsNullOrWhiteSpace(visibility) && await db.Roles.AnyAsync(r => r.Name == visibility, cancellationToken))
        {
            return visibility;
        }
        throw new DocumentRejectedException(RejectionKind.Invalid, $"Visibility must be '{Collection.Everyone}' or the name of an existing role.");
    }
}

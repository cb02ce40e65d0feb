using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;

namespace Nova.Services.Rag;

/// <summary>
/// Documents and collections for the admin UI and the REST API. Every change checks that the caller
/// is an admin (a hidden button is not a check); reading a document list or one document is open to
/// users for the documents of collections they may read. Uploads are streamed to disk under a generated key
/// with their type sniffed from content; ingestion then runs in the background and reports through
/// <see cref="IngestionEvents"/>.
/// </summary>
public sealed class DocumentService(
    IDbContextFactory<NovaDbContext> contexts,
    DocumentFileStore files,
    IngestionQueue queue,
    DocumentIngestor ingestor,
    IVectorStore vectors,
    Bm25Index lexical,
    IngestionEvents events,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    CollectionAccess access,
    IOptions<RagOptions> options,
    TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<DocumentInfo> UploadAsync(ClaimsPrincipal actor, Stream content, string? displayName,
        IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        var userId = RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await RequireCollectionsAsync(db, collectionIds, cancellationToken);
        StoredFile stored;
        try
        {
            stored = await files.SaveAsync(content, options.Value.MaxFileBytes, cancellationToken);
        }
        catch (FileTooLargeException e)
        {
            throw new DocumentRejectedException(RejectionKind.TooLarge, e.Message);
        }
        if (stored.SizeBytes == 0)
        {
            files.Delete(stored.Key);
            throw new DocumentRejectedException(RejectionKind.Invalid, "The file is empty.");
        }
        var kind = ContentSniffer.Detect(stored.Head, displayName);
        if (kind is null)
        {
            files.Delete(stored.Key);
            throw new DocumentRejectedException(RejectionKind.UnsupportedType,
                "The file type is not supported (PDF, DOCX, HTML, Markdown and text are); it was recognised by its content, not its name.");
        }
        var document = NewDocument(DisplayNames.FromFileName(displayName), userId, collectionIds);
        document.StorageKey = stored.Key;
        document.SizeBytes = stored.SizeBytes;
        document.Sha256 = stored.Sha256;
        document.ContentType = kind.Value.ContentType();
        return await AddAsync(db, document, cancellationToken);
    }

    public async Task<DocumentInfo> AddUrlAsync(ClaimsPrincipal actor, string url, string? displayName,
        IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        var userId = RequireAdmin(actor);
        Uri uri;
        try
        {
            uri = UrlFetcher.ValidateForm(url);
        }
        catch (UrlFetchException e)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, e.Message);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await RequireCollectionsAsync(db, collectionIds, cancellationToken);
        var document = NewDocument(DisplayNames.Clean(string.IsNullOrWhiteSpace(displayName) ? uri.AbsoluteUri : displayName), userId, collectionIds);
        document.SourceUrl = uri.AbsoluteUri;
        return await AddAsync(db, document, cancellationToken);
    }

    /// <summary>
    /// Documents newest first. Admins see every document; other users only those filed in a collection
    /// they may read (<see cref="CollectionAccess"/>), the same ones retrieval can give them.
    /// </summary>
    public async Task<DocumentPage> ListAsync(ClaimsPrincipal actor, int skip = 0, int take = 50, Guid? collectionId = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = await VisibleAsync(db, actor, cancellationToken);
        if (collectionId is { } c)
        {
            query = query.Where(d => d.Collections.Any(dc => dc.CollectionId == c));
        }
        var total = await query.CountAsync(cancellationToken);
        // Version-7 ids are ordered by creation time on both providers.
        var items = await query.OrderByDescending(d => d.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, MaxPageSize))
            .Include(d => d.Collections).ToListAsync(cancellationToken);
        return new DocumentPage(items.Select(ToInfo).ToList(), total);
    }

    /// <summary>One document, or null when it does not exist or <paramref name="actor"/> may not read it (as <see cref="ListAsync"/>).</summary>
    public async Task<DocumentInfo?> GetAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var document = await (await VisibleAsync(db, actor, cancellationToken))
            .Include(d => d.Collections).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return document is null ? null : ToInfo(document);
    }

    /// <summary>Queues a failed (or stuck) document again; a URL whose fetch failed is fetched again.</summary>
    public async Task<bool> RetryAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var found = false;
        await queue.WithDocumentHeldAsync(id, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var document = await db.Set<Document>().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (document is null)
            {
                return;
            }
            found = true;
            await ingestor.PurgeIndexesAsync(db, id, cancellationToken);
            Reset(document);
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        if (found)
        {
            events.Publish(new DocumentProgress(id, DocumentStatus.Uploaded, 0, null));
            queue.Enqueue(id);
        }
        return found;
    }

    /// <summary>Deletes a document with its chunks in the database, the vector store and BM25, and its stored file.</summary>
    public async Task<bool> DeleteAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var found = false;
        await queue.WithDocumentHeldAsync(id, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var document = await db.Set<Document>().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
            if (document is null)
            {
                return;
            }
            found = true;
            await ingestor.PurgeIndexesAsync(db, id, cancellationToken);
            db.Remove(document);
            await db.SaveChangesAsync(cancellationToken);
            files.Delete(document.StorageKey);
        }, cancellationToken);
        if (found)
        {
            events.Publish(new DocumentProgress(id, DocumentStatus.Failed, 0, null, Deleted: true));
        }
        return found;
    }

    /// <summary>Moves a document between collections, in the database and in both indexes.</summary>
    public async Task SetCollectionsAsync(ClaimsPrincipal actor, Guid id, IReadOnlyCollection<Guid> collectionIds,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var interrupted = false;
        await queue.WithDocumentHeldAsync(id, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await RequireCollectionsAsync(db, collectionIds, cancellationToken);
            var document = await db.Set<Document>().Include(d => d.Collections).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
                           ?? throw new DocumentRejectedException(RejectionKind.NotFound, "No such document.");
            document.Collections.Clear();
            document.Collections.AddRange(collectionIds.Distinct().Select(c => new DocumentCollection { DocumentId = id, CollectionId = c }));
            document.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await lexical.SetDocumentCollectionsAsync(id, collectionIds, cancellationToken);
            await vectors.SetDocumentCollectionsAsync(id, collectionIds, cancellationToken);
            interrupted = document.Status.IsInProgress() || document.Status == DocumentStatus.Uploaded;
        }, cancellationToken);
        if (interrupted)
        {
            // Holding the document stopped its ingestion, which had read the old collections: start it over.
            await RetryAsync(actor, id, cancellationToken);
        }
    }

    /// <summary>Throws the indexes away and ingests every document again (after changing the embedding model).</summary>
    public async Task ReindexAllAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        // Probing the model (rather than trusting metadata) also proves it answers before anything is thrown away.
        var dimensions = (await embeddings.GenerateVectorAsync("dimension probe", cancellationToken: cancellationToken)).Length;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Set<Document>().Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            await queue.WithDocumentHeldAsync(id, async () =>
            {
                await db.Set<Chunk>().Where(c => c.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
                await db.Set<Document>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DocumentStatus.Uploaded).SetProperty(d => d.Progress, 0)
                    .SetProperty(d => d.FailureReason, (string?)null).SetProperty(d => d.ChunkCount, 0), cancellationToken);
            }, cancellationToken);
        }
        await lexical.ClearAsync(cancellationToken);
        await vectors.ResetAsync(dimensions, cancellationToken);
        foreach (var id in await db.Set<Document>().Select(d => d.Id).ToListAsync(cancellationToken))
        {
            await RetryAsync(actor, id, cancellationToken);
        }
    }

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

    /// <summary>Deletes a collection; its documents stay, filed under their remaining collections.</summary>
    public async Task<bool> DeleteCollectionAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var documentIds = await db.Set<DocumentCollection>().Where(dc => dc.CollectionId == id).Select(dc => dc.DocumentId)
            .ToListAsync(cancellationToken);
        var deleted = await db.Set<Collection>().Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        foreach (var documentId in documentIds)
        {
            var remaining = await db.Set<DocumentCollection>().Where(dc => dc.DocumentId == documentId).Select(dc => dc.CollectionId)
                .ToListAsync(cancellationToken);
            await lexical.SetDocumentCollectionsAsync(documentId, remaining, cancellationToken);
            await vectors.SetDocumentCollectionsAsync(documentId, remaining, cancellationToken);
        }
        return deleted;
    }

    private async Task<DocumentInfo> AddAsync(NovaDbContext db, Document document, CancellationToken cancellationToken)
    {
        db.Add(document);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new DocumentProgress(document.Id, document.Status, 0, null));
        queue.Enqueue(document.Id);
        return ToInfo(document);
    }

    private Document NewDocument(string displayName, string userId, IReadOnlyCollection<Guid> collectionIds)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        return new Document
        {
            Id = id,
            DisplayName = displayName,
            UploadedBy = userId,
            Status = DocumentStatus.Uploaded,
            CreatedAt = now,
            UpdatedAt = now,
            Collections = collectionIds.Distinct().Select(c => new DocumentCollection { DocumentId = id, CollectionId = c }).ToList(),
        };
    }

    private void Reset(Document document)
    {
        document.Status = DocumentStatus.Uploaded;
        document.Progress = 0;
        document.FailureReason = null;
        document.ChunkCount = 0;
        document.IndexedAt = null;
        document.UpdatedAt = time.GetUtcNow();
        if (document.SourceUrl is not null && document.StorageKey.Length > 0)
        {
            // A URL is fetched again on retry: the page may have changed or the failure may have been the fetch.
            files.Delete(document.StorageKey);
            document.StorageKey = "";
        }
    }

    private async Task<IQueryable<Document>> VisibleAsync(NovaDbContext db, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (actor.Identity?.IsAuthenticated != true)
        {
            throw new UnauthorizedAccessException("Only signed-in users read documents.");
        }
        var documents = db.Set<Document>().AsNoTracking();
        if (actor.IsInRole(NovaRoles.Admin))
        {
            return documents;
        }
        var readable = (await access.ReadableAsync(actor, cancellationToken)).ToList();
        return documents.Where(d => d.Collections.Any(dc => readable.Contains(dc.CollectionId)));
    }

    private static string RequireAdmin(ClaimsPrincipal actor)
    {
        if (actor.Identity?.IsAuthenticated != true || !actor.IsInRole(NovaRoles.Admin))
        {
            throw new UnauthorizedAccessException("Only administrators manage documents.");
        }
        return actor.FindFirstValue(ClaimTypes.NameIdentifier) ?? actor.Identity.Name ?? "unknown";
    }

    private static async Task RequireCollectionsAsync(NovaDbContext db, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken)
    {
        var wanted = collectionIds.Distinct().ToList();
        var found = await db.Set<Collection>().CountAsync(c => wanted.Contains(c.Id), cancellationToken);
        if (found != wanted.Count)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, "One of the collections does not exist.");
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

    private static DocumentInfo ToInfo(Document d) => new(d.Id, d.DisplayName, d.SourceUrl, d.ContentType, d.SizeBytes, d.Sha256, d.Status,
        d.FailureReason, d.Progress, d.PageCount, d.ChunkCount, d.UploadedBy, d.CreatedAt, d.UpdatedAt, d.IndexedAt,
        d.Collections.Select(c => c.CollectionId).ToList());
}

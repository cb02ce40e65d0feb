using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Indexing;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;
using Nova.Services.Rag.Retrieval;

namespace Nova.Services.Rag;

/// <summary>
/// Documents and collections for the admin UI and the REST API. Every change checks that the caller
/// is an admin (a hidden button is not a check); reading a document list or one document is open to
/// users for the documents of collections they may read. Uploads are streamed to the file store under a generated key
/// with their type sniffed from content; ingestion then runs in the background and reports through
/// <see cref="IngestionEvents"/>. A document always belongs to at least one collection: added with
/// none, or left with none, it is filed under <see cref="Collection.DefaultName"/> (see the collections part).
/// </summary>
public sealed partial class DocumentService(
    IDbContextFactory<NovaDbContext> contexts,
    IDocumentFileStore files,
    IngestionQueue queue,
    DocumentClaims claims,
    DocumentIngestor ingestor,
    ISearchIndex index,
    IngestionEvents events,
    UrlFetcher fetcher,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    CollectionAccess access,
    IOptions<RagOptions> options,
    TimeProvider time,
    IndexChangeFeed? changes = null)
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// Streams an upload to disk. The type is sniffed from the first bytes before anything is stored, so an
    /// unsupported file is refused without reading the rest; no collection means <see cref="Collection.DefaultName"/>.
    /// </summary>
    public async Task<DocumentInfo> UploadAsync(ClaimsPrincipal actor, Stream content, string? displayName,
        IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        var userId = RequireAdmin(actor);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await RequireCollectionsAsync(db, collectionIds, cancellationToken);
        var head = new byte[ContentSniffer.HeadLength];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, "The file is empty.");
        }
        var kind = ContentSniffer.Detect(head.AsSpan(0, read), displayName)
                   ?? throw new DocumentRejectedException(RejectionKind.UnsupportedType,
                       "The file type is not supported (PDF, DOCX, HTML, Markdown and text are); it was recognised by its content, not its name.");
        StoredFile stored;
        try
        {
            stored = await files.SaveAsync(head.AsMemory(0, read), content, options.Value.MaxFileBytes, cancellationToken);
        }
        catch (FileTooLargeException e)
        {
            throw new DocumentRejectedException(RejectionKind.TooLarge, e.Message);
        }
        catch (FileStoreUnavailableException e)
        {
            throw new DocumentRejectedException(RejectionKind.StoreUnavailable, e.Message);
        }
        try
        {
            var document = NewDocument(DisplayNames.FromFileName(displayName), userId, await FilingAsync(collectionIds, cancellationToken));
            document.StorageKey = stored.Key;
            document.SizeBytes = stored.SizeBytes;
            document.Sha256 = stored.Sha256;
            document.ContentType = kind.ContentType();
            return await AddAsync(db, document, cancellationToken);
        }
        catch
        {
            await files.DeleteAsync(stored.Key, CancellationToken.None);
            throw;
        }
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
        try
        {
            await fetcher.CheckHostAsync(uri, cancellationToken);
        }
        catch (UrlFetchException e)
        {
            throw new DocumentRejectedException(RejectionKind.Invalid, e.Message);
        }
        var name = DisplayNames.Clean(string.IsNullOrWhiteSpace(displayName) ? uri.AbsoluteUri : displayName);
        var document = NewDocument(name, userId, await FilingAsync(collectionIds, cancellationToken));
        document.SourceUrl = uri.AbsoluteUri;
        return await AddAsync(db, document, cancellationToken);
    }

    public Task<DocumentPage> ListAsync(ClaimsPrincipal actor, int skip = 0, int take = 50, Guid? collectionId = null,
        CancellationToken cancellationToken = default) =>
        ListAsync(actor, new DocumentQuery(skip, take, collectionId), cancellationToken);

    /// <summary>
    /// A page of documents, newest first, with the names of who added them. Admins see every document; other users
    /// only those filed in a collection they may read (<see cref="CollectionAccess"/>), the same ones retrieval can give them.
    /// </summary>
    public async Task<DocumentPage> ListAsync(ClaimsPrincipal actor, DocumentQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var documents = await VisibleAsync(db, actor, cancellationToken);
        if (query.CollectionId is { } c)
        {
            documents = documents.Where(d => d.Collections.Any(dc => dc.CollectionId == c));
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Contains is translated without LIKE wildcards, so '%' and '_' in a search are plain text.
            var lowered = query.Search.Trim().ToLowerInvariant();
            documents = documents.Where(d => d.DisplayName.ToLower().Contains(lowered) || (d.SourceUrl != null && d.SourceUrl.ToLower().Contains(lowered)));
        }
        if (query.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToList();
            documents = documents.Where(d => wanted.Contains(d.Status));
        }
        var total = await documents.CountAsync(cancellationToken);
        // Version-7 ids are ordered by creation time on both providers.
        var items = await documents.OrderByDescending(d => d.Id).Skip(Math.Max(0, query.Skip)).Take(Math.Clamp(query.Take, 1, MaxPageSize))
            .Include(d => d.Collections).ToListAsync(cancellationToken);
        var names = await UploaderNamesAsync(db, items, cancellationToken);
        return new DocumentPage(items.Select(d => ToInfo(d, names)).ToList(), total);
    }

    /// <summary>One document, or null when it does not exist or <paramref name="actor"/> may not read it (as the lists above).</summary>
    public async Task<DocumentInfo?> GetAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var document = await (await VisibleAsync(db, actor, cancellationToken))
            .Include(d => d.Collections).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        return document is null ? null : ToInfo(document, await UploaderNamesAsync(db, [document], cancellationToken));
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
            var fetchedFile = Reset(document);
            changes?.Record(db, id);
            await db.SaveChangesAsync(cancellationToken);
            await files.DeleteAsync(fetchedFile, cancellationToken);
        }, cancellationToken);
        if (found)
        {
            events.Publish(new DocumentProgress(id, DocumentStatus.Uploaded, 0, null));
            queue.Wake();
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
            changes?.Record(db, id);
            await db.SaveChangesAsync(cancellationToken);
            await files.DeleteAsync(document.StorageKey, cancellationToken);
        }, cancellationToken);
        if (found)
        {
            events.Publish(new DocumentProgress(id, DocumentStatus.Failed, 0, null, Deleted: true));
        }
        return found;
    }

    /// <summary>
    /// Moves a document between collections, in the database and in both indexes; none means
    /// <see cref="Collection.DefaultName"/>, so the document stays retrievable.
    /// </summary>
    public async Task SetCollectionsAsync(ClaimsPrincipal actor, Guid id, IReadOnlyCollection<Guid> collectionIds,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(actor);
        var interrupted = false;
        await using (var check = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await RequireCollectionsAsync(check, collectionIds, cancellationToken);
        }
        var filing = await FilingAsync(collectionIds, cancellationToken);
        await queue.WithDocumentHeldAsync(id, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var document = await db.Set<Document>().Include(d => d.Collections).SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
                           ?? throw new DocumentRejectedException(RejectionKind.NotFound, "No such document.");
            document.Collections.Clear();
            document.Collections.AddRange(filing.Select(c => new DocumentCollection { DocumentId = id, CollectionId = c }));
            document.UpdatedAt = time.GetUtcNow();
            changes?.Record(db, id);
            await db.SaveChangesAsync(cancellationToken);
            await index.SetDocumentCollectionsAsync(id, filing, cancellationToken);
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
        var self = claims.Self;
        var ids = await db.Set<Document>().Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            await queue.WithDocumentHeldAsync(id, async () =>
            {
                await db.Set<Chunk>().Where(c => c.DocumentId == id).ExecuteDeleteAsync(cancellationToken);
                // Held by this replica (not queued) until the indexes are reset below: a worker claiming it sooner would index it twice.
                await db.Set<Document>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DocumentStatus.Uploaded).SetProperty(d => d.ReplicaId, self).SetProperty(d => d.Progress, 0)
                    .SetProperty(d => d.FailureReason, (string?)null).SetProperty(d => d.ChunkCount, 0), cancellationToken);
            }, cancellationToken);
        }
        if (changes is not null)
        {
            // After every document is purged, before any is queued: other replicas rebuild from what is left, which is nothing.
            changes.RecordAll(db);
            await db.SaveChangesAsync(cancellationToken);
        }
        await index.ResetAsync(dimensions, cancellationToken);
        foreach (var id in await db.Set<Document>().Select(d => d.Id).ToListAsync(cancellationToken))
        {
            await RetryAsync(actor, id, cancellationToken);
        }
    }

    private async Task<DocumentInfo> AddAsync(NovaDbContext db, Document document, CancellationToken cancellationToken)
    {
        db.Add(document);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new DocumentProgress(document.Id, document.Status, 0, null));
        queue.Wake();
        return ToInfo(document);
    }

    private Document NewDocument(string displayName, string userId, IReadOnlyList<Guid> collectionIds)
    {
        var now = time.GetUtcNow();
        // Documents are listed newest first by id.
        var id = AscendingIds.Next(now);
        return new Document
        {
            Id = id,
            DisplayName = displayName,
            UploadedBy = userId,
            Status = DocumentStatus.Uploaded,
            CreatedAt = now,
            UpdatedAt = now,
            Collections = collectionIds.Select(c => new DocumentCollection { DocumentId = id, CollectionId = c }).ToList(),
        };
    }

    /// <summary>Queues the document again; returns the key of a fetched page to delete once that is stored (or an empty key).</summary>
    private string Reset(Document document)
    {
        document.Status = DocumentStatus.Uploaded;
        // Queued for any replica; one ingesting it now finds it no longer its own at its next write.
        document.ReplicaId = null;
        document.Progress = 0;
        document.FailureReason = null;
        document.ChunkCount = 0;
        document.IndexedAt = null;
        document.UpdatedAt = time.GetUtcNow();
        if (document.SourceUrl is not null && document.StorageKey.Length > 0)
        {
            // A URL is fetched again on retry: the page may have changed or the failure may have been the fetch.
            var fetched = document.StorageKey;
            document.StorageKey = "";
            return fetched;
        }
        return "";
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

    private static async Task<Dictionary<string, string>> UploaderNamesAsync(NovaDbContext db, IReadOnlyCollection<Document> documents,
        CancellationToken cancellationToken)
    {
        var ids = documents.Select(d => d.UploadedBy).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.UserName }).ToListAsync(cancellationToken);
        return users.Where(u => u.Name != null).ToDictionary(u => u.Id, u => u.Name!);
    }

    private static DocumentInfo ToInfo(Document d, IReadOnlyDictionary<string, string>? uploaderNames = null) => new(d.Id, d.DisplayName,
        d.SourceUrl, d.ContentType, d.SizeBytes, d.Sha256, d.Status, d.FailureReason, d.Progress, d.PageCount, d.ChunkCount, d.UploadedBy,
        d.CreatedAt, d.UpdatedAt, d.IndexedAt, d.Collections.Select(c => c.CollectionId).ToList(), uploaderNames?.GetValueOrDefault(d.UploadedBy));
}

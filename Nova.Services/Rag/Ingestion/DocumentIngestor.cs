using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Indexing;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;
using Nova.Services.Rag.Retrieval;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Runs one document this replica has claimed through fetch → parse → chunk → embed → index. Whatever an earlier
/// attempt left is purged first, and a failure purges again, so a document is either fully indexed or not at all.
/// Chunks only become searchable when the document turns <see cref="DocumentStatus.Ready"/>. Every write to the
/// document is conditional on the claim (<see cref="DocumentClaims.Held"/>): once another replica took it over, or
/// an admin deleted or re-queued it, this replica stops without touching what the others wrote.
/// </summary>
public sealed class DocumentIngestor(
    IDbContextFactory<NovaDbContext> contexts,
    DocumentClaims claims,
    IDocumentFileStore files,
    DocumentParsers parsers,
    ITokenCounter tokens,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ISearchIndex index,
    UrlFetcher fetcher,
    IngestionEvents events,
    IOptions<RagOptions> options,
    TimeProvider time,
    ILogger<DocumentIngestor> logger,
    IndexChangeFeed? changes = null)
{
    private readonly RagOptions _options = options.Value;

    public async Task ProcessAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var document = await claims.Held(db, documentId).AsNoTracking().Include(d => d.Collections).SingleOrDefaultAsync(cancellationToken);
        if (document is null || document.Status is DocumentStatus.Ready or DocumentStatus.Failed)
        {
            return;
        }
        try
        {
            await StartAsync(db, documentId, cancellationToken);
            if (document.StorageKey.Length == 0)
            {
                await FetchAsync(db, document, cancellationToken);
            }
            var parsed = await ParseAsync(document, cancellationToken);
            await UpdateAsync(db, document, DocumentStatus.Chunking, 0.25, cancellationToken);

            var chunker = new StructuredChunker(tokens, _options.ChunkTokens, _options.ChunkOverlapTokens);
            var chunks = await Task.Run(() => chunker.Split(parsed.Blocks, cancellationToken), cancellationToken);
            if (chunks.Count == 0)
            {
                throw new DocumentParseException("No text was found in the document (a scanned PDF needs OCR first).");
            }
            await UpdateAsync(db, document, DocumentStatus.Embedding, 0.3, cancellationToken);
            var vectorsOfChunks = await EmbedAsync(db, document, chunks, cancellationToken);
            await IndexAsync(db, document, parsed.PageCount, chunks, vectorsOfChunks, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or deletion: the document stays in progress and is picked up (or removed) by whoever cancelled.
            throw;
        }
        catch (ClaimLostException)
        {
            logger.LogInformation("Document {DocumentId} was taken over, re-queued or deleted meanwhile; this replica leaves it", documentId);
        }
        catch (Exception e)
        {
            var reason = e is DocumentParseException or UrlFetchException ? e.Message : $"Indexing failed: {e.Message}";
            logger.LogWarning(e, "Document {DocumentId} failed: {Reason}", documentId, reason);
            await FailAsync(documentId, reason);
        }
    }

    /// <summary>Removes everything indexed for a document from the database and the search index.</summary>
    public async Task PurgeIndexesAsync(NovaDbContext db, Guid documentId, CancellationToken cancellationToken)
    {
        // Database first: retrieval resolves every hit there, so a vector left behind by an outage is never served.
        await db.Set<Chunk>().Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(cancellationToken);
        await index.DeleteDocumentAsync(documentId, cancellationToken);
    }

    /// <summary>Purges what an earlier attempt left, in one transaction with a write that proves the claim is still held.</summary>
    private async Task StartAsync(NovaDbContext db, Guid documentId, CancellationToken cancellationToken)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await SetStatusAsync(db, documentId, DocumentStatus.Parsing, 0.02, cancellationToken);
            await db.Set<Chunk>().Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await index.DeleteDocumentAsync(documentId, cancellationToken);
        events.Publish(new DocumentProgress(documentId, DocumentStatus.Parsing, 0.02, null));
    }

    private async Task FetchAsync(NovaDbContext db, Document document, CancellationToken cancellationToken)
    {
        var url = UrlFetcher.ValidateForm(document.SourceUrl ?? throw new DocumentParseException("The document has no stored file."));
        var fetched = await fetcher.FetchAsync(url, cancellationToken);
        using var content = new MemoryStream(fetched.Content, writable: false);
        var stored = await files.SaveAsync(content, _options.MaxFileBytes, cancellationToken);
        var contentType = ContentSniffer.Detect(stored.Head, fetched.FinalUrl.AbsolutePath)?.ContentType();
        var kept = await claims.Held(db, document.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.StorageKey, stored.Key)
            .SetProperty(d => d.SizeBytes, stored.SizeBytes)
            .SetProperty(d => d.Sha256, stored.Sha256)
            .SetProperty(d => d.ContentType, contentType), cancellationToken);
        if (kept == 0)
        {
            await files.DeleteAsync(stored.Key, CancellationToken.None);
            throw new ClaimLostException();
        }
        document.StorageKey = stored.Key;
        document.ContentType = contentType;
    }

    private async Task<ParsedDocument> ParseAsync(Document document, CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenReadAsync(document.StorageKey, cancellationToken);
        if (stream.Length > _options.MaxFileBytes)
        {
            throw new DocumentParseException($"The file is larger than {_options.MaxFileBytes:N0} bytes.");
        }
        var head = new byte[ContentSniffer.HeadLength];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var kind = ContentSniffer.Detect(head.AsSpan(0, read), DocumentKinds.FromContentType(document.ContentType) == DocumentKind.Markdown ? "x.md" : null)
                   ?? throw new DocumentParseException("The file type is not supported (PDF, DOCX, HTML, Markdown and text are).");
        var limits = ParseLimits.From(_options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.ParseTimeoutSeconds), time);
        using var parsing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Waiting apart from the parse: a parser stuck inside a library call cannot hold the worker past the timeout.
            return await Task.Run(() => parsers.Parse(kind, stream, limits, parsing.Token), parsing.Token).WaitAsync(parsing.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DocumentParseException($"Reading the file took longer than {_options.ParseTimeoutSeconds:N0} seconds.");
        }
    }

    private async Task<float[][]> EmbedAsync(NovaDbContext db, Document document, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        var result = new float[chunks.Count][];
        var batchSize = _options.EmbeddingBatchSize;
        for (var start = 0; start < chunks.Count; start += batchSize)
        {
            var batch = chunks.Skip(start).Take(batchSize).Select(c => c.IndexText).ToList();
            var generated = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
            if (generated.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedding model returned {generated.Count} vectors for {batch.Count} texts.");
            }
            for (var i = 0; i < generated.Count; i++)
            {
                result[start + i] = Normalized(generated[i].Vector);
            }
            await UpdateAsync(db, document, DocumentStatus.Embedding, 0.3 + 0.6 * Math.Min(chunks.Count, start + batchSize) / chunks.Count,
                cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Fills the search index, then stores the chunks and turns the document Ready in one transaction that first checks
    /// the claim, so a document is Ready once, with the chunks of one attempt. Index entries of an attempt that lost
    /// its claim here stay behind unused: retrieval resolves every hit in the database, where their chunks never were.
    /// </summary>
    private async Task IndexAsync(NovaDbContext db, Document document, int? pageCount, IReadOnlyList<TextChunk> chunks, float[][] vectorsOfChunks,
        CancellationToken cancellationToken)
    {
        await index.EnsureReadyAsync(vectorsOfChunks[0].Length, cancellationToken);
        var collectionIds = document.Collections.Select(c => c.CollectionId).ToArray();
        var entities = chunks.Select((c, i) => new Chunk
        {
            Id = Guid.NewGuid(),
            DocumentId = document.Id,
            Ordinal = c.Ordinal,
            Text = c.Text,
            Page = c.Page,
            HeadingPath = c.HeadingPath.Length > 1000 ? c.HeadingPath[..1000] : c.HeadingPath,
            TokenCount = c.TokenCount,
            Embedding = EmbeddingCodec.ToBytes(vectorsOfChunks[i]),
        }).ToList();
        await index.AddAsync(entities.Select((c, i) => new SearchChunk(c.Id, document.Id, TextChunk.IndexTextOf(c.Text, c.HeadingPath), vectorsOfChunks[i]))
            .ToList(), collectionIds, cancellationToken);
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var kept = await claims.Held(db, document.Id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DocumentStatus.Ready)
                .SetProperty(d => d.Progress, 1)
                .SetProperty(d => d.PageCount, pageCount)
                .SetProperty(d => d.ChunkCount, entities.Count)
                .SetProperty(d => d.IndexedAt, now)
                .SetProperty(d => d.FailureReason, (string?)null)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);
            if (kept == 0)
            {
                throw new ClaimLostException();
            }
            db.Set<Chunk>().AddRange(entities);
            changes?.Record(db, document.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        events.Publish(new DocumentProgress(document.Id, DocumentStatus.Ready, 1, null));
    }

    /// <summary>Cosine search relies on unit vectors; remote models do not always return them.</summary>
    private static float[] Normalized(ReadOnlyMemory<float> vector)
    {
        var copy = vector.ToArray();
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(copy);
        if (norm > 0 && Math.Abs(norm - 1) > 1e-3)
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(copy, norm, copy);
        }
        return copy;
    }

    private async Task UpdateAsync(NovaDbContext db, Document document, DocumentStatus status, double progress, CancellationToken cancellationToken)
    {
        await SetStatusAsync(db, document.Id, status, progress, cancellationToken);
        events.Publish(new DocumentProgress(document.Id, status, progress, null));
    }

    private async Task SetStatusAsync(NovaDbContext db, Guid documentId, DocumentStatus status, double progress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var kept = await claims.Held(db, documentId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.Progress, progress)
            .SetProperty(d => d.UpdatedAt, now), cancellationToken);
        if (kept == 0)
        {
            throw new ClaimLostException();
        }
    }

    /// <summary>Marks the document failed and purges it, only while this replica holds the claim: never another's chunks.</summary>
    private async Task FailAsync(Guid documentId, string reason)
    {
        reason = reason.Length > Document.MaxReasonLength ? reason[..Document.MaxReasonLength] : reason;
        // Not the worker's token: a failure must be recorded even while the host is stopping.
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            var kept = await claims.Held(db, documentId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DocumentStatus.Failed)
                .SetProperty(d => d.FailureReason, reason)
                .SetProperty(d => d.Progress, 0)
                .SetProperty(d => d.ChunkCount, 0)
                .SetProperty(d => d.UpdatedAt, now), CancellationToken.None);
            if (kept == 0)
            {
                logger.LogInformation("Document {DocumentId} failed here after it was taken over, re-queued or deleted; its failure is not recorded", documentId);
                return;
            }
            await db.Set<Chunk>().Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        try
        {
            await index.DeleteDocumentAsync(documentId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not purge the index entries of failed document {DocumentId}", documentId);
        }
        events.Publish(new DocumentProgress(documentId, DocumentStatus.Failed, 0, reason));
    }

    /// <summary>The document is no longer this replica's to write.</summary>
    private sealed class ClaimLostException() : Exception("The claim on the document was lost.");
}

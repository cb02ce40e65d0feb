using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Parsing;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Runs one document through fetch → parse → chunk → embed → index. Whatever an earlier attempt left
/// is purged first, and a failure purges again, so a document is either fully indexed or not at all.
/// Chunks only become searchable when the document turns <see cref="DocumentStatus.Ready"/>.
/// </summary>
public sealed class DocumentIngestor(
    IDbContextFactory<NovaDbContext> contexts,
    DocumentFileStore files,
    DocumentParsers parsers,
    ITokenCounter tokens,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IVectorStore vectors,
    Bm25Index lexical,
    UrlFetcher fetcher,
    IngestionEvents events,
    IOptions<RagOptions> options,
    TimeProvider time,
    ILogger<DocumentIngestor> logger)
{
    private readonly RagOptions _options = options.Value;

    public async Task ProcessAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var document = await db.Set<Document>().Include(d => d.Collections).SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null || document.Status is DocumentStatus.Ready or DocumentStatus.Failed)
        {
            return;
        }
        try
        {
            await PurgeIndexesAsync(db, documentId, cancellationToken);
            await UpdateAsync(db, document, DocumentStatus.Parsing, 0.02, cancellationToken);
            if (document.StorageKey.Length == 0)
            {
                await FetchAsync(db, document, cancellationToken);
            }
            var parsed = await ParseAsync(document, cancellationToken);
            document.PageCount = parsed.PageCount;
            await UpdateAsync(db, document, DocumentStatus.Chunking, 0.25, cancellationToken);

            var chunker = new StructuredChunker(tokens, _options.ChunkTokens, _options.ChunkOverlapTokens);
            var chunks = await Task.Run(() => chunker.Split(parsed.Blocks, cancellationToken), cancellationToken);
            if (chunks.Count == 0)
            {
                throw new DocumentParseException("No text was found in the document (a scanned PDF needs OCR first).");
            }
            await UpdateAsync(db, document, DocumentStatus.Embedding, 0.3, cancellationToken);
            var vectorsOfChunks = await EmbedAsync(db, document, chunks, cancellationToken);
            await IndexAsync(db, document, chunks, vectorsOfChunks, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or deletion: the document stays in progress and is picked up (or removed) by whoever cancelled.
            throw;
        }
        catch (Exception e)
        {
            var reason = e is DocumentParseException or UrlFetchException ? e.Message : $"Indexing failed: {e.Message}";
            logger.LogWarning(e, "Document {DocumentId} failed: {Reason}", documentId, reason);
            await FailAsync(documentId, reason);
        }
    }

    /// <summary>Removes everything indexed for a document from the database, the vector store and BM25.</summary>
    public async Task PurgeIndexesAsync(NovaDbContext db, Guid documentId, CancellationToken cancellationToken)
    {
        // Database first: retrieval resolves every hit there, so a vector left behind by an outage is never served.
        await db.Set<Chunk>().Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(cancellationToken);
        await lexical.RemoveDocumentAsync(documentId, cancellationToken);
        await vectors.DeleteDocumentAsync(documentId, cancellationToken);
    }

    private async Task FetchAsync(NovaDbContext db, Document document, CancellationToken cancellationToken)
    {
        var url = UrlFetcher.ValidateForm(document.SourceUrl ?? throw new DocumentParseException("The document has no stored file."));
        var fetched = await fetcher.FetchAsync(url, cancellationToken);
        using var content = new MemoryStream(fetched.Content, writable: false);
        var stored = await files.SaveAsync(content, _options.MaxFileBytes, cancellationToken);
        document.StorageKey = stored.Key;
        document.SizeBytes = stored.SizeBytes;
        document.Sha256 = stored.Sha256;
        document.ContentType = ContentSniffer.Detect(stored.Head, fetched.FinalUrl.AbsolutePath)?.ContentType();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<ParsedDocument> ParseAsync(Document document, CancellationToken cancellationToken)
    {
        await using var stream = files.OpenRead(document.StorageKey);
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

    private async Task IndexAsync(NovaDbContext db, Document document, IReadOnlyList<TextChunk> chunks, float[][] vectorsOfChunks,
        CancellationToken cancellationToken)
    {
        await vectors.EnsureReadyAsync(vectorsOfChunks[0].Length, cancellationToken);
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
        db.Set<Chunk>().AddRange(entities);
        await db.SaveChangesAsync(cancellationToken);
        await vectors.UpsertAsync(entities.Select((c, i) => new VectorRecord(c.Id, document.Id, collectionIds, vectorsOfChunks[i])).ToList(),
            cancellationToken);
        await lexical.AddAsync(entities.Select(c => new Bm25Index.IndexedChunk(c.Id, document.Id, TextChunk.IndexTextOf(c.Text, c.HeadingPath))).ToList(),
            collectionIds, cancellationToken);
        document.ChunkCount = entities.Count;
        document.IndexedAt = time.GetUtcNow();
        document.FailureReason = null;
        await UpdateAsync(db, document, DocumentStatus.Ready, 1, cancellationToken);
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
        document.Status = status;
        document.Progress = progress;
        document.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new DocumentProgress(document.Id, status, progress, null));
    }

    private async Task FailAsync(Guid documentId, string reason)
    {
        reason = reason.Length > Document.MaxReasonLength ? reason[..Document.MaxReasonLength] : reason;
        // Not the worker's token: a failure must be recorded even while the host is stopping.
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        try
        {
            await PurgeIndexesAsync(db, documentId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not purge the index entries of failed document {DocumentId}", documentId);
        }
        var now = time.GetUtcNow();
        await db.Set<Document>().Where(d => d.Id == documentId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DocumentStatus.Failed)
            .SetProperty(d => d.FailureReason, reason)
            .SetProperty(d => d.Progress, 0)
            .SetProperty(d => d.ChunkCount, 0)
            .SetProperty(d => d.UpdatedAt, now), CancellationToken.None);
        events.Publish(new DocumentProgress(documentId, DocumentStatus.Failed, 0, reason));
    }
}

using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;

namespace Nova.Services.Rag.Indexing;

/// <summary>
/// Brings this replica's in-memory indexes (the embedded vector store and BM25) in line with the database for some
/// documents, or for all. Idempotent: a document is dropped from both indexes, then added again with its stored chunks,
/// vectors and collections when it is Ready; whatever changed it, and however often, the result is what is stored.
/// </summary>
public sealed class IndexResync(IDbContextFactory<NovaDbContext> contexts, IVectorStore vectors, Bm25Index lexical)
{
    // Documents per round trip: bounds the chunks (with their vectors) held at once.
    private const int Batch = 64;

    public async Task DocumentsAsync(IReadOnlyCollection<Guid> documentIds, CancellationToken cancellationToken)
    {
        foreach (var batch in documentIds.Distinct().Chunk(Batch))
        {
            await BatchAsync(batch, cancellationToken);
        }
    }

    /// <summary>Empties both indexes and loads every Ready document again.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        await lexical.ClearAsync(cancellationToken);
        // Size unknown (0) until the first vector comes back: after a re-index with another model it is not the old one.
        await vectors.ResetAsync(0, cancellationToken);
        List<Guid> ready;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            ready = await db.Set<Document>().Where(d => d.Status == DocumentStatus.Ready).Select(d => d.Id).ToListAsync(cancellationToken);
        }
        await DocumentsAsync(ready, cancellationToken);
    }

    private async Task BatchAsync(Guid[] documentIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var collections = await db.Set<Document>().AsNoTracking()
            .Where(d => documentIds.Contains(d.Id) && d.Status == DocumentStatus.Ready)
            .Select(d => new { d.Id, CollectionIds = d.Collections.Select(c => c.CollectionId).ToList() })
            .ToDictionaryAsync(d => d.Id, d => d.CollectionIds, cancellationToken);
        var ready = collections.Keys.ToList();
        var chunks = await db.Set<Chunk>().AsNoTracking()
            .Where(c => ready.Contains(c.DocumentId))
            .Select(c => new { c.Id, c.DocumentId, c.Text, c.HeadingPath, c.Embedding })
            .ToListAsync(cancellationToken);
        foreach (var documentId in documentIds)
        {
            await lexical.RemoveDocumentAsync(documentId, cancellationToken);
            await vectors.DeleteDocumentAsync(documentId, cancellationToken);
        }
        foreach (var document in chunks.GroupBy(c => c.DocumentId))
        {
            var collectionIds = collections[document.Key];
            await vectors.UpsertAsync(document.Where(c => c.Embedding is not null)
                .Select(c => new VectorRecord(c.Id, c.DocumentId, collectionIds, EmbeddingCodec.FromBytes(c.Embedding)))
                .ToList(), cancellationToken);
            await lexical.AddAsync(document.Select(c => new Bm25Index.IndexedChunk(c.Id, c.DocumentId, TextChunk.IndexTextOf(c.Text, c.HeadingPath)))
                .ToList(), collectionIds, cancellationToken);
        }
    }
}

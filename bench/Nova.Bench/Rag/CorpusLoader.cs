using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Model;

namespace Nova.Bench.Rag;

/// <summary>
/// Writes a synthetic corpus into Nova's database as ingestion leaves it (Ready documents of 100 chunks,
/// each chunk with its text and embedding), so the embedded store and BM25 load it as they would at start.
/// </summary>
public static class CorpusLoader
{
    private const int ChunksPerDocument = 100;
    private const int DocumentsPerSave = 20;

    /// <summary>Returns the chunk id of each vector, in order.</summary>
    public static async Task<Guid[]> LoadAsync(NovaServicesHost host, Guid collectionId, float[][] vectors, Func<int, string> textOf)
    {
        var ids = new Guid[vectors.Length];
        for (var first = 0; first < vectors.Length; first += ChunksPerDocument * DocumentsPerSave)
        {
            await using var db = await host.Contexts.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var start = first; start < Math.Min(vectors.Length, first + ChunksPerDocument * DocumentsPerSave); start += ChunksPerDocument)
            {
                var document = new Document
                {
                    Id = Guid.NewGuid(),
                    DisplayName = $"bench-{start / ChunksPerDocument}.txt",
                    UploadedBy = "bench-admin",
                    Status = DocumentStatus.Ready,
                    Progress = 1,
                };
                document.Collections.Add(new DocumentCollection { DocumentId = document.Id, CollectionId = collectionId });
                for (var i = start; i < Math.Min(vectors.Length, start + ChunksPerDocument); i++)
                {
                    ids[i] = Guid.NewGuid();
                    document.Chunks.Add(new Chunk
                    {
                        Id = ids[i],
                        DocumentId = document.Id,
                        Ordinal = i - start,
                        Text = textOf(i),
                        Embedding = EmbeddingCodec.ToBytes(vectors[i]),
                    });
                }
                document.ChunkCount = document.Chunks.Count;
                db.Add(document);
            }
            await db.SaveChangesAsync();
        }
        return ids;
    }
}

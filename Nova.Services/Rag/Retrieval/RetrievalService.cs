using System.Numerics.Tensors;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nova.Services.Data;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Model;

namespace Nova.Services.Rag.Retrieval;

/// <summary>
/// Hybrid retrieval: the <see cref="ISearchIndex"/> finds and fuses passages by meaning and by words, then an
/// optional reranker orders them. A user only ever gets chunks of collections they may read; the filter is
/// applied in the index and checked again against the database.
/// </summary>
public sealed class RetrievalService(
    IDbContextFactory<NovaDbContext> contexts,
    CollectionAccess access,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ISearchIndex index,
    ILogger<RetrievalService> logger,
    IReranker? reranker = null)
{
    public const int MaxTopK = 100;
    private const int SnippetChars = 300;

    /// <summary>
    /// The <paramref name="topK"/> best passages for <paramref name="query"/> that <paramref name="user"/> may read,
    /// optionally only from <paramref name="collectionIds"/> (null: every readable collection).
    /// </summary>
    public async Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, ClaimsPrincipal user, IReadOnlyCollection<Guid>? collectionIds = null,
        int topK = 5, RetrievalMode mode = RetrievalMode.Hybrid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return string.IsNullOrWhiteSpace(query)
            ? []
            : await SearchReadableAsync(query, await access.ReadableAsync(user, cancellationToken), collectionIds, topK, mode, cancellationToken);
    }

    /// <summary>
    /// As the other overload, for work outside a request: what the user may read is decided by their roles
    /// in the database at this moment (<see cref="CollectionAccess.ReadableAsync(string, CancellationToken)"/>).
    /// </summary>
    public async Task<IReadOnlyList<RetrievalHit>> SearchAsync(string query, string userId, IReadOnlyCollection<Guid>? collectionIds = null,
        int topK = 5, RetrievalMode mode = RetrievalMode.Hybrid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return string.IsNullOrWhiteSpace(query)
            ? []
            : await SearchReadableAsync(query, await access.ReadableAsync(userId, cancellationToken), collectionIds, topK, mode, cancellationToken);
    }

    private async Task<IReadOnlyList<RetrievalHit>> SearchReadableAsync(string query, IReadOnlySet<Guid> readable,
        IReadOnlyCollection<Guid>? collectionIds, int topK, RetrievalMode mode, CancellationToken cancellationToken)
    {
        topK = Math.Clamp(topK, 1, MaxTopK);
        var allowed = collectionIds is null ? readable.ToHashSet() : collectionIds.Where(readable.Contains).ToHashSet();
        if (allowed.Count == 0)
        {
            return [];
        }

        var candidates = Math.Max(topK * 4, 20);
        ReadOnlyMemory<float>? vector = null;
        if (mode != RetrievalMode.Lexical)
        {
            vector = await embeddings.GenerateVectorAsync(query, cancellationToken: cancellationToken);
        }
        var fused = await index.SearchAsync(mode == RetrievalMode.Dense ? null : query, vector, allowed, candidates, cancellationToken);
        var take = reranker is null ? topK : Math.Min(fused.Count, topK * 3);
        var hits = await LoadAsync(fused.Take(take).ToList(), allowed, vector, cancellationToken);
        if (reranker is not null && hits.Count > 0)
        {
            hits = await RerankAsync(query, hits, cancellationToken);
        }
        return hits.Take(topK).ToList();
    }

    private async Task<List<RetrievalHit>> LoadAsync(List<SearchCandidate> candidates, HashSet<Guid> allowed, ReadOnlyMemory<float>? query,
        CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var ids = candidates.Select(c => c.ChunkId).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<Chunk>().AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.Document!.Status == DocumentStatus.Ready &&
                        c.Document.Collections.Any(dc => allowed.Contains(dc.CollectionId)))
            .Select(c => new { c.Id, c.DocumentId, c.Document!.DisplayName, c.Page, c.HeadingPath, c.Text, c.Embedding })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var hits = new List<RetrievalHit>(candidates.Count);
        foreach (var c in candidates)
        {
            if (rows.TryGetValue(c.ChunkId, out var row))
            {
                hits.Add(new RetrievalHit(row.Id, row.DocumentId, row.DisplayName, row.Page, row.HeadingPath, row.Text,
                    Snippet(row.Text), c.Dense, c.Lexical, c.Fused, null, c.Dense ?? Similarity(query, row.Embedding)));
            }
        }
        return hits;
    }

    private async Task<List<RetrievalHit>> RerankAsync(string query, List<RetrievalHit> hits, CancellationToken cancellationToken)
    {
        try
        {
            var scores = await reranker!.RerankAsync(query, hits.Select(h => TextChunk.IndexTextOf(h.Text, h.HeadingPath)).ToList(), cancellationToken);
            return hits.Select((h, i) => h with { RerankScore = scores[i] }).OrderByDescending(h => h.RerankScore).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Reranking improves order; without it the fused order still stands.
            logger.LogWarning(e, "Reranker unavailable; keeping the fused order");
            return hits;
        }
    }

    /// <summary>
    /// Cosine similarity to the query of a passage that only the word search found, from its stored embedding, so
    /// that every hit of a dense or hybrid search can be judged on the same scale.
    /// </summary>
    private static float? Similarity(ReadOnlyMemory<float>? query, byte[]? embedding)
    {
        if (query is not { } q || embedding is null)
        {
            return null;
        }
        var stored = EmbeddingCodec.FromBytes(embedding);
        return stored.Length == q.Length ? TensorPrimitives.CosineSimilarity(q.Span, stored) : null;
    }

    private static string Snippet(string text)
    {
        if (text.Length <= SnippetChars)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', SnippetChars);
        return text[..(cut > SnippetChars / 2 ? cut : SnippetChars)] + "…";
    }
}

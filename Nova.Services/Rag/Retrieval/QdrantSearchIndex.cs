using Grpc.Core;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace Nova.Services.Rag.Retrieval;

/// <summary>
/// The search index shared by every replica: one Qdrant collection whose points carry the chunk's embedding (named
/// vector <see cref="DenseVector"/>, cosine) and its words (sparse vector <see cref="SparseVector"/>, see
/// <see cref="LexicalTerms"/>, with Qdrant applying IDF). A hybrid search is one batch: the fused query (dense and
/// sparse prefetches, each filtered by collection, fused by Qdrant's RRF) that decides the order, and the two branch
/// queries that only tell each hit's dense and lexical score. Nothing lexical lives in this process.
/// </summary>
public sealed class QdrantSearchIndex(QdrantClient client, string collection, ILogger<QdrantSearchIndex> logger) : ISearchIndex
{
    internal const string DenseVector = "dense";
    internal const string SparseVector = "lexical";
    internal const string DocumentField = "document_id";
    internal const string CollectionsField = "collection_ids";

    /// <summary>Qdrant's RRF constant: a hit at 0-based rank r of a branch scores 1 / (2 + r).</summary>
    public const int RrfK = 2;

    private const int UpsertBatch = 256;
    private static readonly WithPayloadSelector NoPayload = new() { Enable = false };

    private volatile bool _layoutChecked;

    public async Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        await CallAsync(async () =>
        {
            if (!await client.CollectionExistsAsync(collection, cancellationToken))
            {
                await CreateAsync(dimensions, cancellationToken);
                return;
            }
            await CheckLayoutAsync(dimensions, cancellationToken);
        }, cancellationToken);
    }

    public async Task AddAsync(IReadOnlyList<SearchChunk> chunks, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        var filed = CollectionsValue(collectionIds);
        await CallAsync(async () =>
        {
            foreach (var batch in chunks.Chunk(UpsertBatch))
            {
                await client.UpsertAsync(collection, batch.Select(c => Point(c, filed)).ToList(), wait: true, cancellationToken: cancellationToken);
            }
        }, cancellationToken);
    }

    public async Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default) =>
        await CallAsync(async () =>
        {
            try
            {
                await client.DeleteAsync(collection, MatchKeyword(DocumentField, documentId.ToString()), wait: true, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // No collection yet: nothing was ever indexed, so there is nothing to delete.
            }
        }, cancellationToken);

    public async Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default) =>
        await CallAsync(async () =>
        {
            try
            {
                await client.SetPayloadAsync(collection, new Dictionary<string, Value> { [CollectionsField] = CollectionsValue(collectionIds) },
                    MatchKeyword(DocumentField, documentId.ToString()), wait: true, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // No collection yet: the document has no points to refile.
            }
        }, cancellationToken);

    public async Task ResetAsync(int dimensions, CancellationToken cancellationToken = default) =>
        await CallAsync(async () =>
        {
            if (await client.CollectionExistsAsync(collection, cancellationToken))
            {
                await client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken);
            }
            await CreateAsync(dimensions, cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<SearchCandidate>> SearchAsync(string? text, ReadOnlyMemory<float>? vector, IReadOnlyCollection<Guid> collectionIds,
        int candidates, CancellationToken cancellationToken = default)
    {
        if (candidates <= 0 || collectionIds.Count == 0)
        {
            return [];
        }
        var words = text is null ? default : LexicalTerms.OfQuery(text);
        var dense = vector is { } v ? Branch(DenseVector, v.ToArray(), collectionIds, candidates) : null;
        var sparse = words.Indices is { Length: > 0 } ? Branch(SparseVector, (words.Values, words.Indices), collectionIds, candidates) : null;
        if (dense is null && sparse is null)
        {
            return [];
        }
        return await CallAsync(async () =>
        {
            try
            {
                if (!_layoutChecked && !await CheckLayoutAsync(null, cancellationToken))
                {
                    return [];
                }
                return dense is not null && sparse is not null
                    ? await HybridAsync(dense, sparse, candidates, cancellationToken)
                    : await SingleAsync(dense ?? sparse!, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // No collection yet: nothing has been indexed.
                return (IReadOnlyList<SearchCandidate>)[];
            }
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<SearchCandidate>> HybridAsync(QueryPoints dense, QueryPoints sparse, int candidates, CancellationToken cancellationToken)
    {
        var fused = new QueryPoints
        {
            CollectionName = collection,
            Prefetch = { Prefetch(dense), Prefetch(sparse) },
            Query = Fusion.Rrf,
            Limit = (ulong)candidates,
            WithPayload = NoPayload,
        };
        var results = await client.QueryBatchAsync(collection, [fused, dense, sparse], cancellationToken: cancellationToken);
        var denseScores = results[1].Result.ToDictionary(p => p.Id.Uuid, p => p.Score);
        var lexicalScores = results[2].Result.ToDictionary(p => p.Id.Uuid, p => p.Score);
        return results[0].Result.Select(p => new SearchCandidate(Guid.Parse(p.Id.Uuid),
            denseScores.TryGetValue(p.Id.Uuid, out var d) ? d : null,
            lexicalScores.TryGetValue(p.Id.Uuid, out var l) ? l : null,
            p.Score)).ToList();
    }

    /// <summary>One branch alone; its fused score is what Qdrant's RRF gives a single ranking, as the embedded index does.</summary>
    private async Task<IReadOnlyList<SearchCandidate>> SingleAsync(QueryPoints branch, CancellationToken cancellationToken)
    {
        var points = (await client.QueryBatchAsync(collection, [branch], cancellationToken: cancellationToken))[0].Result;
        var isDense = branch.Using == DenseVector;
        return points.Select((p, rank) => new SearchCandidate(Guid.Parse(p.Id.Uuid), isDense ? p.Score : null, isDense ? null : p.Score,
            1.0 / (RrfK + rank))).ToList();
    }

    private QueryPoints Branch(string vectorName, Query query, IReadOnlyCollection<Guid> collectionIds, int candidates) => new()
    {
        CollectionName = collection,
        Query = query,
        Using = vectorName,
        Filter = Match(CollectionsField, collectionIds.Select(c => c.ToString()).ToList()),
        Limit = (ulong)candidates,
        WithPayload = NoPayload,
    };

    private static PrefetchQuery Prefetch(QueryPoints branch) => new()
    {
        Query = branch.Query,
        Using = branch.Using,
        Filter = branch.Filter,
        Limit = branch.Limit,
    };

    private static PointStruct Point(SearchChunk chunk, Value filed)
    {
        var vectors = new Dictionary<string, Vector> { [DenseVector] = chunk.Vector.ToArray() };
        var (indices, values) = LexicalTerms.OfChunk(chunk.Text);
        if (indices.Length > 0)
        {
            // Qdrant rejects an empty sparse vector; a chunk without words is found by meaning only.
            vectors[SparseVector] = (values, indices);
        }
        return new PointStruct
        {
            Id = chunk.ChunkId,
            Vectors = vectors,
            Payload = { [DocumentField] = chunk.DocumentId.ToString(), [CollectionsField] = filed },
        };
    }

    /// <summary>
    /// Refuses a collection Nova cannot search: one of another embedding size, or the layout of Nova before hybrid search
    /// in Qdrant (a single unnamed dense vector, no words). An empty collection of the old layout is recreated when
    /// ingestion prepares it (<paramref name="dimensions"/> given); one holding points needs a re-index, which recreates
    /// it (see docs/decisions/0011-hybrid-search-in-qdrant.md). False when there is nothing to search yet.
    /// </summary>
    private async Task<bool> CheckLayoutAsync(int? dimensions, CancellationToken cancellationToken)
    {
        if (!await client.CollectionExistsAsync(collection, cancellationToken))
        {
            return false;
        }
        var info = await client.GetCollectionInfoAsync(collection, cancellationToken);
        var configured = info.Config?.Params;
        var dense = configured?.VectorsConfig?.ParamsMap?.Map.GetValueOrDefault(DenseVector);
        var sparse = configured?.SparseVectorsConfig?.Map.GetValueOrDefault(SparseVector);
        if (dense is null || sparse is not { Modifier: Modifier.Idf })
        {
            if (info.PointsCount == 0 && dimensions is null)
            {
                return false;
            }
            if (info.PointsCount == 0 && dimensions is { } size)
            {
                logger.LogWarning("Qdrant collection {Collection} has the layout of an older Nova and no points; recreating it for hybrid search", collection);
                await client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken);
                await CreateAsync(size, cancellationToken);
                return true;
            }
            logger.LogError("Qdrant collection {Collection} has the layout of an older Nova (no named dense and sparse vectors); re-index all documents", collection);
            throw new InvalidOperationException(
                $"Qdrant collection '{collection}' has the layout of an older Nova (one unnamed vector, no words for hybrid search); re-index all documents (Admin → Documents → Re-index all), which recreates it.");
        }
        if (dimensions is { } d && dense.Size != (ulong)d)
        {
            throw new InvalidOperationException(
                $"Qdrant collection '{collection}' holds {dense.Size}-dimensional vectors but the embedding model produces {d}; re-index all documents.");
        }
        _layoutChecked = true;
        return true;
    }

    private async Task CreateAsync(int dimensions, CancellationToken cancellationToken)
    {
        await client.CreateCollectionAsync(collection,
            new VectorParamsMap { Map = { [DenseVector] = new VectorParams { Size = (ulong)dimensions, Distance = Distance.Cosine } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { [SparseVector] = new SparseVectorParams { Modifier = Modifier.Idf } } },
            cancellationToken: cancellationToken);
        await client.CreatePayloadIndexAsync(collection, DocumentField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
        await client.CreatePayloadIndexAsync(collection, CollectionsField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
        _layoutChecked = true;
    }

    private static Value CollectionsValue(IEnumerable<Guid> collectionIds)
    {
        var list = new ListValue();
        list.Values.AddRange(collectionIds.Select(c => new Value { StringValue = c.ToString() }));
        return new Value { ListValue = list };
    }

    private async Task CallAsync(Func<Task> call, CancellationToken cancellationToken) => await CallAsync(async () =>
    {
        await call();
        return true;
    }, cancellationToken);

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (a stopped generation, a closed page): that is a cancellation, not Qdrant failing.
            throw new OperationCanceledException("The Qdrant call was cancelled.", e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw new InvalidOperationException($"Qdrant (collection '{collection}') failed: {e.Status.StatusCode} {e.Status.Detail}", e);
        }
    }
}

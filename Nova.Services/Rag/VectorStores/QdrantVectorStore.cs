using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace Nova.Services.Rag.VectorStores;

/// <summary>
/// Qdrant over gRPC: one collection with cosine distance, keyword payload indexes on the document
/// and collection ids, and every search filtered by collection.
/// </summary>
public sealed class QdrantVectorStore(QdrantClient client, string collection) : IVectorStore
{
    internal const string DocumentField = "document_id";
    internal const string CollectionsField = "collection_ids";
    private const int UpsertBatch = 256;

    public async Task EnsureReadyAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await client.CollectionExistsAsync(collection, cancellationToken))
            {
                var info = await client.GetCollectionInfoAsync(collection, cancellationToken);
                var size = info.Config?.Params?.VectorsConfig?.Params?.Size;
                if (size is { } s && s != (ulong)dimensions)
                {
                    throw new InvalidOperationException(
                        $"Qdrant collection '{collection}' holds {s}-dimensional vectors but the embedding model produces {dimensions}; re-index all documents.");
                }
                return;
            }
            await CreateAsync(dimensions, cancellationToken);
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var batch in records.Chunk(UpsertBatch))
            {
                var points = batch.Select(r => new PointStruct
                {
                    Id = r.ChunkId,
                    Vectors = r.Vector.ToArray(),
                    Payload = { [DocumentField] = r.DocumentId.ToString(), [CollectionsField] = CollectionsValue(r.CollectionIds) },
                }).ToList();
                await client.UpsertAsync(collection, points, wait: true, cancellationToken: cancellationToken);
            }
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task DeleteDocumentAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.DeleteAsync(collection, MatchKeyword(DocumentField, documentId.ToString()), wait: true,
                cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task SetDocumentCollectionsAsync(Guid documentId, IReadOnlyCollection<Guid> collectionIds, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.SetPayloadAsync(collection, new Dictionary<string, Value> { [CollectionsField] = CollectionsValue(collectionIds) },
                MatchKeyword(DocumentField, documentId.ToString()), wait: true, cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, IReadOnlyCollection<Guid> collectionIds, int topK,
        CancellationToken cancellationToken = default)
    {
        if (topK <= 0 || collectionIds.Count == 0)
        {
            return [];
        }
        try
        {
            var points = await client.QueryAsync(collection, query.ToArray(),
                filter: Match(CollectionsField, collectionIds.Select(c => c.ToString()).ToList()),
                limit: (ulong)topK, payloadSelector: new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { DocumentField } } },
                cancellationToken: cancellationToken);
            return points.Select(p => new VectorHit(Guid.Parse(p.Id.Uuid), Guid.Parse(p.Payload[DocumentField].StringValue), p.Score)).ToList();
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    public async Task ResetAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await client.CollectionExistsAsync(collection, cancellationToken))
            {
                await client.DeleteCollectionAsync(collection, cancellationToken: cancellationToken);
            }
            await CreateAsync(dimensions, cancellationToken);
        }
        catch (RpcException e)
        {
            throw Unavailable(e);
        }
    }

    private async Task CreateAsync(int dimensions, CancellationToken cancellationToken)
    {
        await client.CreateCollectionAsync(collection, new VectorParams { Size = (ulong)dimensions, Distance = Distance.Cosine },
            cancellationToken: cancellationToken);
        await client.CreatePayloadIndexAsync(collection, DocumentField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
        await client.CreatePayloadIndexAsync(collection, CollectionsField, PayloadSchemaType.Keyword, cancellationToken: cancellationToken);
    }

    private static Value CollectionsValue(IEnumerable<Guid> collectionIds)
    {
        var list = new ListValue();
        list.Values.AddRange(collectionIds.Select(c => new Value { StringValue = c.ToString() }));
        return new Value { ListValue = list };
    }

    private InvalidOperationException Unavailable(RpcException e) =>
        new($"Qdrant (collection '{collection}') failed: {e.Status.StatusCode} {e.Status.Detail}", e);
}

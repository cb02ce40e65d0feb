using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace Nova.Fakes;

/// <summary>
/// A protocol-level Qdrant: Qdrant.Client's own messages over gRPC (h2c on loopback), implementing the
/// calls Nova makes — collections (exists, get, create with an unnamed or named dense vectors and sparse
/// vectors, delete), payload indexes, upsert, delete by filter, set payload, query and query batch (nearest
/// dense or sparse, prefetches fused by RRF, keyword filters) — with exact cosine scoring, sparse dot products
/// weighted by IDF where the sparse vector asks for it, and Qdrant's RRF (1 / (2 + 0-based rank) per branch).
/// <see cref="FakeQdrantState.Latency"/> and <see cref="FakeQdrantState.Fault"/> make every call slow or fail.
/// </summary>
public sealed class FakeQdrantServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeQdrantServer(WebApplication app, FakeQdrantState state)
    {
        _app = app;
        State = state;
    }

    public FakeQdrantState State { get; }

    public Uri Url => new(_app.Urls.First());

    public static async Task<FakeQdrantServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var state = new FakeQdrantState();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton<IServiceMethodProvider<FakeQdrantState>, MethodProvider>();
        var app = builder.Build();
        app.MapGrpcService<FakeQdrantState>();
        await app.StartAsync();
        return new FakeQdrantServer(app, state);
    }

    public QdrantClient CreateClient() => new(Url.Host, Url.Port, https: false);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class MethodProvider : IServiceMethodProvider<FakeQdrantState>
    {
        private const int RrfK = 2;

        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FakeQdrantState> context)
        {
            Add<HealthCheckRequest, HealthCheckReply>(context, "qdrant.Qdrant", "HealthCheck",
                (_, _) => new HealthCheckReply { Title = "fake qdrant", Version = "1.15.0" });
            Add<CollectionExistsRequest, CollectionExistsResponse>(context, "qdrant.Collections", "CollectionExists",
                (s, r) => new CollectionExistsResponse { Result = new CollectionExists { Exists = s.Collections.ContainsKey(r.CollectionName) } });
            Add<GetCollectionInfoRequest, GetCollectionInfoResponse>(context, "qdrant.Collections", "Get", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                var parameters = new CollectionParams { VectorsConfig = c.VectorsConfig };
                if (c.Sparse.Count > 0)
                {
                    parameters.SparseVectorsConfig = new SparseVectorConfig { Map = { c.Sparse.ToDictionary() } };
                }
                return new GetCollectionInfoResponse
                {
                    Result = new CollectionInfo
                    {
                        Status = CollectionStatus.Green,
                        PointsCount = (ulong)c.Points.Count,
                        Config = new CollectionConfig { Params = parameters },
                    },
                };
            });
            Add<CreateCollection, CollectionOperationResponse>(context, "qdrant.Collections", "Create", (s, r) =>
            {
                var vectors = r.VectorsConfig ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "vectors_config required"));
                var created = s.Collections.TryAdd(r.CollectionName,
                    new FakeCollection(vectors, r.SparseVectorsConfig?.Map.ToDictionary(m => m.Key, m => m.Value) ?? []));
                if (!created)
                {
                    throw new RpcException(new Status(StatusCode.AlreadyExists, $"Collection `{r.CollectionName}` already exists!"));
                }
                return new CollectionOperationResponse { Result = true };
            });
            Add<DeleteCollection, CollectionOperationResponse>(context, "qdrant.Collections", "Delete",
                (s, r) => new CollectionOperationResponse { Result = s.Collections.TryRemove(r.CollectionName, out _) });
            Add<CreateFieldIndexCollection, PointsOperationResponse>(context, "qdrant.Points", "CreateFieldIndex", (s, r) =>
            {
                s.Get(r.CollectionName).Indexes[r.FieldName] = r.FieldType;
                return Completed();
            });
            Add<UpsertPoints, PointsOperationResponse>(context, "qdrant.Points", "Upsert", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                foreach (var point in r.Points)
                {
                    c.Points[point.Id.Uuid] = c.Accept(point);
                }
                s.UpsertCalls++;
                return Completed();
            });
            Add<DeletePoints, PointsOperationResponse>(context, "qdrant.Points", "Delete", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                foreach (var id in c.Points.Where(p => Matches(r.Points.Filter, p.Value)).Select(p => p.Key).ToList())
                {
                    c.Points.TryRemove(id, out _);
                }
                return Completed();
            });
            Add<SetPayloadPoints, PointsOperationResponse>(context, "qdrant.Points", "SetPayload", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                foreach (var point in c.Points.Values.Where(p => Matches(r.PointsSelector.Filter, p)))
                {
                    foreach (var (key, value) in r.Payload)
                    {
                        point.Payload[key] = value;
                    }
                }
                return Completed();
            });
            Add<QueryPoints, QueryResponse>(context, "qdrant.Points", "Query", (s, r) =>
            {
                var response = new QueryResponse();
                response.Result.AddRange(Answer(s.Get(r.CollectionName), r));
                s.QueryCalls++;
                return response;
            });
            Add<QueryBatchPoints, QueryBatchResponse>(context, "qdrant.Points", "QueryBatch", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                var response = new QueryBatchResponse();
                foreach (var query in r.QueryPoints)
                {
                    var result = new BatchResult();
                    result.Result.AddRange(Answer(c, query));
                    response.Result.Add(result);
                }
                s.QueryCalls++;
                return response;
            });
        }

        private static IEnumerable<ScoredPoint> Answer(FakeCollection c, QueryPoints r)
        {
            var limit = (int)(r.HasLimit ? r.Limit : 10);
            var ranked = Rank(c, r.Query, r.Using, r.Filter, r.Prefetch, limit);
            return ranked.Select(p =>
            {
                var scored = new ScoredPoint { Id = new PointId { Uuid = p.Id }, Score = p.Score, Version = 1 };
                if (r.WithPayload?.Enable != false)
                {
                    foreach (var (key, value) in c.Points[p.Id].Payload)
                    {
                        scored.Payload[key] = value;
                    }
                }
                return scored;
            });
        }

        /// <summary>One query, as Qdrant runs it: prefetches first (each with its own filter and limit), then the query over their union.</summary>
        private static List<(string Id, float Score)> Rank(FakeCollection c, Query? query, string vectorName, Filter? filter,
            IReadOnlyCollection<PrefetchQuery> prefetches, int limit)
        {
            var branches = prefetches.Select(p => Rank(c, p.Query, p.Using, p.Filter, p.Prefetch, (int)(p.HasLimit ? p.Limit : 10))).ToList();
            if (query?.VariantCase == Query.VariantOneofCase.Fusion)
            {
                if (query.Fusion != Fusion.Rrf)
                {
                    throw new RpcException(new Status(StatusCode.Unimplemented, $"fake does not support fusion {query.Fusion}"));
                }
                var fused = new Dictionary<string, float>();
                foreach (var branch in branches)
                {
                    for (var rank = 0; rank < branch.Count; rank++)
                    {
                        fused[branch[rank].Id] = fused.GetValueOrDefault(branch[rank].Id) + 1f / (RrfK + rank);
                    }
                }
                return fused.Where(p => Matches(filter, c.Points[p.Key])).OrderByDescending(p => p.Value)
                    .Take(limit).Select(p => (p.Key, p.Value)).ToList();
            }
            if (query?.VariantCase != Query.VariantOneofCase.Nearest)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"fake does not support query {query?.VariantCase}"));
            }
            var candidates = branches.Count == 0
                ? c.Points.Keys
                : branches.SelectMany(b => b.Select(p => p.Id)).Distinct();
            var score = c.Scorer(query.Nearest, vectorName);
            return candidates.Where(id => c.Points.ContainsKey(id) && Matches(filter, c.Points[id]))
                .Select(id => (Id: id, Score: score(c.Points[id])))
                .Where(p => p.Score is not null)
                .Select(p => (p.Id, Score: p.Score!.Value))
                .OrderByDescending(p => p.Score)
                .Take(limit)
                .ToList();
        }

        private static PointsOperationResponse Completed() =>
            new() { Result = new UpdateResult { Status = UpdateStatus.Completed } };

        private static bool Matches(Filter? filter, FakePoint point)
        {
            if (filter is null)
            {
                return true;
            }
            return filter.Must.All(c => Matches(c, point)) &&
                   (filter.Should.Count == 0 || filter.Should.Any(c => Matches(c, point))) &&
                   !filter.MustNot.Any(c => Matches(c, point));
        }

        private static bool Matches(Condition condition, FakePoint point)
        {
            if (condition.Field is not { } field)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, "fake supports field conditions only"));
            }
            if (!point.Payload.TryGetValue(field.Key, out var value))
            {
                return false;
            }
            var values = value.KindCase == Value.KindOneofCase.ListValue
                ? value.ListValue.Values.Select(v => v.StringValue).ToHashSet()
                : [value.StringValue];
            return field.Match.MatchValueCase switch
            {
                Match.MatchValueOneofCase.Keyword => values.Contains(field.Match.Keyword),
                Match.MatchValueOneofCase.Keywords => field.Match.Keywords.Strings.Any(values.Contains),
                _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"fake does not support {field.Match.MatchValueCase}")),
            };
        }

        private static void Add<TRequest, TResponse>(ServiceMethodProviderContext<FakeQdrantState> context, string service, string name,
            Func<FakeQdrantState, TRequest, TResponse> handler)
            where TRequest : class, IMessage<TRequest>, new()
            where TResponse : class, IMessage<TResponse>, new()
        {
            var parser = new MessageParser<TRequest>(() => new TRequest());
            var responseParser = new MessageParser<TResponse>(() => new TResponse());
            var method = new Method<TRequest, TResponse>(MethodType.Unary, service, name,
                Marshallers.Create(r => r.ToByteArray(), parser.ParseFrom),
                Marshallers.Create(r => r.ToByteArray(), responseParser.ParseFrom));
            context.AddUnaryMethod(method, [], async (state, request, call) =>
            {
                if (state.Latency > TimeSpan.Zero)
                {
                    await Task.Delay(state.Latency, call.CancellationToken);
                }
                if (state.Fault is { } fault)
                {
                    throw new RpcException(new Status(fault, "fake qdrant fault"));
                }
                lock (state)
                {
                    return handler(state, request);
                }
            });
        }
    }
}

public sealed class FakeQdrantState
{
    public ConcurrentDictionary<string, FakeCollection> Collections { get; } = new();

    public int UpsertCalls { get; set; }

    public int QueryCalls { get; set; }

    /// <summary>How long every call waits before it is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, every call fails with this status (Qdrant down, overloaded...).</summary>
    public StatusCode? Fault { get; set; }

    internal FakeCollection Get(string name) => Collections.TryGetValue(name, out var c)
        ? c
        : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));
}

/// <summary>A collection: one unnamed dense vector (<see cref="VectorsConfig"/>.Params) or named ones (ParamsMap), and named sparse vectors.</summary>
public sealed class FakeCollection(VectorsConfig vectorsConfig, Dictionary<string, SparseVectorParams> sparse)
{
    public VectorsConfig VectorsConfig { get; } = vectorsConfig;

    public IReadOnlyDictionary<string, SparseVectorParams> Sparse { get; } = sparse;

    public ConcurrentDictionary<string, FakePoint> Points { get; } = new();

    public ConcurrentDictionary<string, FieldType> Indexes { get; } = new();

    private IReadOnlyDictionary<string, VectorParams> Dense => VectorsConfig.Params is { } unnamed
        ? new Dictionary<string, VectorParams> { [""] = unnamed }
        : VectorsConfig.ParamsMap.Map;

    /// <summary>A point as Qdrant stores it, after the checks Qdrant makes: known vector names, dense sizes, unique sparse indices.</summary>
    internal FakePoint Accept(PointStruct point)
    {
        var given = point.Vectors.VectorsOptionsCase == Vectors.VectorsOptionsOneofCase.Vector
            ? new Dictionary<string, Vector> { [""] = point.Vectors.Vector }
            : point.Vectors.Vectors_.Vectors.ToDictionary(v => v.Key, v => v.Value);
        var dense = new Dictionary<string, float[]>();
        var words = new Dictionary<string, Dictionary<uint, float>>();
        foreach (var (name, vector) in given)
        {
            if (Sparse.ContainsKey(name))
            {
                words[name] = SparseOf(vector);
                continue;
            }
            if (!Dense.TryGetValue(name, out var parameters))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: Not existing vector name error: {name}"));
            }
            var data = DenseOf(vector);
            if (data.Length != (int)parameters.Size)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {data.Length}"));
            }
            dense[name] = data;
        }
        return new FakePoint(dense, words, point.Payload.ToDictionary(p => p.Key, p => p.Value));
    }

    /// <summary>How a point scores against a nearest query on <paramref name="vectorName"/>; null when it is not a candidate.</summary>
    internal Func<FakePoint, float?> Scorer(VectorInput nearest, string vectorName)
    {
        if (Sparse.TryGetValue(vectorName, out var parameters))
        {
            var query = nearest.Sparse ?? throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: {vectorName} is a sparse vector"));
            var idf = parameters.Modifier == Modifier.Idf ? Idf(vectorName, query.Indices) : query.Indices.Distinct().ToDictionary(i => i, _ => 1f);
            return p =>
            {
                if (!p.Sparse.TryGetValue(vectorName, out var words))
                {
                    return null;
                }
                var hits = query.Indices.Select((index, i) => (index, Weight: query.Values[i])).Where(t => words.ContainsKey(t.index)).ToList();
                return hits.Count == 0 ? null : hits.Sum(t => t.Weight * idf[t.index] * words[t.index]);
            };
        }
        if (!Dense.ContainsKey(vectorName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: Not existing vector name error: {vectorName}"));
        }
        var dense = nearest.Dense?.Data.ToArray() ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "fake supports dense nearest queries"));
        if (dense.Length != (int)Dense[vectorName].Size)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"Wrong input: Vector dimension error: expected dim: {Dense[vectorName].Size}, got {dense.Length}"));
        }
        return p => p.Dense.TryGetValue(vectorName, out var v) ? Cosine(dense, v) : null;
    }

    /// <summary>Qdrant's IDF over the points that have this sparse vector: ln(1 + (N - n + 0.5) / (n + 0.5)).</summary>
    private Dictionary<uint, float> Idf(string vectorName, IEnumerable<uint> indices)
    {
        var holders = Points.Values.Where(p => p.Sparse.ContainsKey(vectorName)).ToList();
        return indices.Distinct().ToDictionary(i => i, i =>
        {
            var n = holders.Count(p => p.Sparse[vectorName].ContainsKey(i));
            return MathF.Log(1 + (holders.Count - n + 0.5f) / (n + 0.5f));
        });
    }

#pragma warning disable CS0612, CS0618 // older clients fill the deprecated flat data and indices fields
    private static float[] DenseOf(Vector vector) => vector.Dense is { } dense ? dense.Data.ToArray() : vector.Data.ToArray();

    private static Dictionary<uint, float> SparseOf(Vector vector)
    {
        var (indices, values) = vector.Sparse is { } sparse
            ? (sparse.Indices.ToArray(), sparse.Values.ToArray())
            : (vector.Indices?.Data.ToArray() ?? [], vector.Data.ToArray());
        if (indices.Length != values.Length || indices.Distinct().Count() != indices.Length)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: sparse vector indices must be unique and match the values"));
        }
        return indices.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }
#pragma warning restore CS0612, CS0618

    private static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return (float)(dot / (Math.Sqrt(na) * Math.Sqrt(nb) + 1e-12));
    }
}

/// <summary>A stored point: dense vectors and sparse vectors by name ("" for the unnamed one), and its payload.</summary>
public sealed record FakePoint(Dictionary<string, float[]> Dense, Dictionary<string, Dictionary<uint, float>> Sparse, Dictionary<string, Value> Payload);

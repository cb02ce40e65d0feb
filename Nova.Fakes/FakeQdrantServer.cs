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
/// calls Nova makes — collections (exists, get, create, delete), payload indexes, upsert, delete by
/// filter, set payload, query with keyword filters — with exact cosine scoring.
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
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FakeQdrantState> context)
        {
            Add<HealthCheckRequest, HealthCheckReply>(context, "qdrant.Qdrant", "HealthCheck",
                (_, _) => new HealthCheckReply { Title = "fake qdrant", Version = "1.15.0" });
            Add<CollectionExistsRequest, CollectionExistsResponse>(context, "qdrant.Collections", "CollectionExists",
                (s, r) => new CollectionExistsResponse { Result = new CollectionExists { Exists = s.Collections.ContainsKey(r.CollectionName) } });
            Add<GetCollectionInfoRequest, GetCollectionInfoResponse>(context, "qdrant.Collections", "Get", (s, r) =>
            {
                var c = s.Get(r.CollectionName);
                return new GetCollectionInfoResponse
                {
                    Result = new CollectionInfo
                    {
                        Status = CollectionStatus.Green,
                        PointsCount = (ulong)c.Points.Count,
                        Config = new CollectionConfig
                        {
                            Params = new CollectionParams
                            {
                                VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = (ulong)c.Size, Distance = c.Distance } },
                            },
                        },
                    },
                };
            });
            Add<CreateCollection, CollectionOperationResponse>(context, "qdrant.Collections", "Create", (s, r) =>
            {
                var vectorParams = r.VectorsConfig?.Params ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "vectors_config required"));
                var created = s.Collections.TryAdd(r.CollectionName, new FakeCollection((int)vectorParams.Size, vectorParams.Distance));
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
                    var vector = DenseOf(point.Vectors.Vector);
                    if (vector.Length != c.Size)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument,
                            $"Wrong input: Vector dimension error: expected dim: {c.Size}, got {vector.Length}"));
                    }
                    c.Points[point.Id.Uuid] = new FakePoint(vector, point.Payload.ToDictionary(p => p.Key, p => p.Value));
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
                var c = s.Get(r.CollectionName);
                var query = r.Query.Nearest.Dense.Data.ToArray();
                var response = new QueryResponse();
                response.Result.AddRange(c.Points
                    .Where(p => Matches(r.Filter, p.Value))
                    .Select(p => (p.Key, p.Value, Score: Cosine(query, p.Value.Vector)))
                    .OrderByDescending(p => p.Score)
                    .Take((int)(r.HasLimit ? r.Limit : 10))
                    .Select(p =>
                    {
                        var scored = new ScoredPoint { Id = new PointId { Uuid = p.Key }, Score = p.Score, Version = 1 };
                        foreach (var (key, value) in p.Value.Payload)
                        {
                            scored.Payload[key] = value;
                        }
                        return scored;
                    }));
                return response;
            });
        }

        private static PointsOperationResponse Completed() =>
            new() { Result = new UpdateResult { Status = UpdateStatus.Completed } };

#pragma warning disable CS0612, CS0618 // older clients fill the deprecated flat data field
        private static float[] DenseOf(Vector vector) => vector.Dense is { } dense ? dense.Data.ToArray() : vector.Data.ToArray();
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
            context.AddUnaryMethod(method, [], (state, request, _) =>
            {
                lock (state)
                {
                    return Task.FromResult(handler(state, request));
                }
            });
        }
    }
}

public sealed class FakeQdrantState
{
    public ConcurrentDictionary<string, FakeCollection> Collections { get; } = new();

    public int UpsertCalls { get; set; }

    internal FakeCollection Get(string name) => Collections.TryGetValue(name, out var c)
        ? c
        : throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));
}

public sealed record FakeCollection(int Size, Distance Distance)
{
    public ConcurrentDictionary<string, FakePoint> Points { get; } = new();

    public ConcurrentDictionary<string, FieldType> Indexes { get; } = new();
}

public sealed record FakePoint(float[] Vector, Dictionary<string, Value> Payload);

using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Identity;
using Nova.Services.Rag.Chunking;
using Nova.Services.Rag.Embeddings;
using Nova.Services.Rag.Indexing;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Ingestion.S3;
using Nova.Services.Rag.Parsing;
using Nova.Services.Rag.Retrieval;
using Nova.Services.Rag.VectorStores;
using Qdrant.Client;

namespace Nova.Services.Rag;

public static class RagExtensions
{
    /// <summary>
    /// Ingestion (parsers, chunking, background queue), embeddings (<c>Nova:Embeddings</c>), the vector store
    /// (<c>Nova:VectorStore</c>) with the search index (BM25 in process, or words and meaning in Qdrant), the optional reranker (<c>Nova:Rerank</c>), <see cref="DocumentService"/>
    /// and <see cref="RetrievalService"/>. Needs <c>AddNovaData()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddNovaRag(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RagOptions>().BindConfiguration(RagOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.ChunkOverlapTokens < o.ChunkTokens, $"Setting '{RagOptions.Section}:ChunkOverlapTokens' must be less than ChunkTokens.")
            .ValidateOnStart();
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>();
        services.AddOptions<VectorStoreOptions>().BindConfiguration(VectorStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VectorStoreOptions>, VectorStoreOptionsValidator>();
        services.AddOptions<RerankOptions>().BindConfiguration(RerankOptions.Section);
        services.TryAddTimeProvider();

        services.AddSingleton(DocumentParsers.CreateDefault());
        services.AddSingleton<ITokenCounter, BertTokenCounter>();
        AddFileStore(builder);
        services.AddSingleton<UrlFetcher>();
        services.AddSingleton<IngestionEvents>();
        services.AddSingleton<DocumentIngestor>();
        services.AddSingleton<DocumentClaims>();
        services.AddSingleton<IngestionQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<IOrphanedWork>(sp => sp.GetRequiredService<IngestionQueue>());
        services.AddSingleton<DocumentService>();

        services.AddEmbeddingGenerator(sp => EmbeddingGeneratorFactory.Create(
                sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value, sp.GetRequiredService<IOptions<RagOptions>>().Value.EmbeddingBatchSize))
            .UseLogging()
            .UseOpenTelemetry();

        var vectorProvider = builder.Configuration.GetValue<VectorStoreProvider?>($"{VectorStoreOptions.Section}:Provider") ?? VectorStoreProvider.Embedded;
        if (vectorProvider == VectorStoreProvider.Qdrant)
        {
            services.AddSingleton(sp =>
            {
                var qdrant = sp.GetRequiredService<IOptions<VectorStoreOptions>>().Value.Qdrant;
                return new QdrantClient(qdrant.Url!, string.IsNullOrEmpty(qdrant.ApiKey) ? null : qdrant.ApiKey);
            });
            // Words and meaning both live in Qdrant, so every replica searches everything indexed anywhere; no Bm25Index here.
            services.AddSingleton<ISearchIndex>(sp => new QdrantSearchIndex(sp.GetRequiredService<QdrantClient>(),
                sp.GetRequiredService<IOptions<VectorStoreOptions>>().Value.Qdrant.Collection, sp.GetRequiredService<ILogger<QdrantSearchIndex>>()));
            services.AddHealthChecks().AddCheck<QdrantHealthCheck>("vector-store", tags: ["ready"]);
        }
        else
        {
            services.AddSingleton<IVectorStore, EmbeddedVectorStore>();
            services.AddSingleton<Bm25Index>();
            services.AddSingleton<ISearchIndex, EmbeddedSearchIndex>();
            if (DataExtensions.ReadProvider(builder.Configuration) == DatabaseProvider.Postgres)
            {
                // Every replica holds its own copy of the indexes; what changes through the others reaches it through the database.
                services.AddNovaIndexCatchUp();
            }
        }
        // Who may read what follows the account's approval, lockout and roles; a host without Identity's pages still needs that lookup.
        services.TryAddSingleton<UserAccess>();
        services.AddSingleton<CollectionAccess>();
        services.AddSingleton<RetrievalService>();

        var rerankUrl = builder.Configuration.GetValue<Uri?>($"{RerankOptions.Section}:BaseUrl");
        if (rerankUrl is not null)
        {
            services.AddHttpClient<IReranker, TeiReranker>((sp, http) =>
            {
                var rerank = sp.GetRequiredService<IOptions<RerankOptions>>().Value;
                http.BaseAddress = new Uri(rerank.BaseUrl!.AbsoluteUri.TrimEnd('/') + "/");
                http.Timeout = TimeSpan.FromSeconds(rerank.TimeoutSeconds);
            });
        }
        return builder;
    }

    /// <summary>
    /// Originals go where every replica reads them: the database when it is PostgreSQL, else the local folder
    /// (<c>Nova:Rag:FileStore</c> chooses otherwise: <c>Local</c>, <c>Postgres</c>, or <c>S3</c> with <c>Nova:Rag:S3</c>).
    /// </summary>
    private static void AddFileStore(IHostApplicationBuilder builder)
    {
        var key = $"{RagOptions.Section}:FileStore";
        var database = DataExtensions.ReadProvider(builder.Configuration);
        var store = builder.Configuration.GetValue<DocumentFileStoreKind?>(key)
                    ?? (database == DatabaseProvider.Postgres ? DocumentFileStoreKind.Postgres : DocumentFileStoreKind.Local);
        if (store == DocumentFileStoreKind.Postgres && database != DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException($"Setting '{key}' is Postgres, which needs Nova:Database:Provider Postgres.");
        }
        if (store == DocumentFileStoreKind.S3)
        {
            builder.Services.AddS3FileStore();
        }
        else if (store == DocumentFileStoreKind.Postgres)
        {
            builder.Services.AddSingleton<IDocumentFileStore, PostgresDocumentFileStore>();
        }
        else
        {
            builder.Services.AddSingleton<IDocumentFileStore, LocalDocumentFileStore>();
        }
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private sealed class EmbeddingOptionsValidator : IValidateOptions<EmbeddingOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmbeddingOptions options) =>
            EmbeddingGeneratorFactory.Validate(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }

    private sealed class VectorStoreOptionsValidator : IValidateOptions<VectorStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, VectorStoreOptions options)
        {
            if (options.Provider != VectorStoreProvider.Qdrant)
            {
                return ValidateOptionsResult.Success;
            }
            var url = options.Qdrant.Url;
            if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            {
                return ValidateOptionsResult.Fail($"Setting '{VectorStoreOptions.Section}:Qdrant:Url' must be an absolute http(s) URL (the gRPC port, usually 6334) when the provider is Qdrant.");
            }
            return string.IsNullOrWhiteSpace(options.Qdrant.Collection)
                ? ValidateOptionsResult.Fail($"Setting '{VectorStoreOptions.Section}:Qdrant:Collection' must not be empty.")
                : ValidateOptionsResult.Success;
        }
    }

    private sealed class QdrantHealthCheck(QdrantClient client) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await client.HealthAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("Qdrant does not answer.", e);
            }
        }
    }
}

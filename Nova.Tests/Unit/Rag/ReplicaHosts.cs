using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// Several Nova replicas (data and RAG services, each with its own replica identity, heartbeat and ingestion queue)
/// on one migrated test database, with short leases. Every replica's ingestion progress is recorded in <see cref="Progress"/>.
/// </summary>
internal sealed class ReplicaHosts : IAsyncDisposable
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(2);

    private readonly TestDatabase _database;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("nova-replicas-");
    private readonly List<IHost> _hosts = [];
    private readonly HashSet<IHost> _stopped = [];
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ReplicaHosts(TestDatabase database, IReadOnlyDictionary<string, string?> settings)
    {
        _database = database;
        _settings = settings;
    }

    /// <summary>Progress events of every replica: which replica reported what for which document.</summary>
    public ConcurrentQueue<(IHost Replica, DocumentProgress Progress)> Progress { get; } = new();

    public IDbContextFactory<NovaDbContext> Contexts => _hosts[0].Services.GetRequiredService<IDbContextFactory<NovaDbContext>>();

    public static async Task<ReplicaHosts> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await TestDatabase.CreateAsync(provider), settings ?? new Dictionary<string, string?>());

    /// <summary>
    /// A replica, built but not started; the database is migrated when the first one is built. Replicas with the
    /// same <paramref name="storagePath"/> share the folder <c>Nova:Rag:StoragePath</c> names, as replicas on one machine can.
    /// </summary>
    public async Task<IHost> AddAsync(string storagePath = "files")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder.FullName });
        builder.Configuration.AddInMemoryCollection(_database.Settings.Concat(new Dictionary<string, string?>
        {
            ["Nova:Rag:StoragePath"] = storagePath,
            ["Nova:Rag:IngestionPollSeconds"] = "1",
            ["Nova:Replicas:HeartbeatInterval"] = "00:00:00.200",
            ["Nova:Replicas:LeaseDuration"] = LeaseDuration.ToString(),
        }));
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Services.AddLogging();
        builder.AddNovaData();
        builder.AddNovaRag();
        var host = builder.Build();
        if (_hosts.Count == 0)
        {
            // Nova's whole model (with Identity) migrates, as the app does at start.
            using var migrated = await NovaServices.StartAsync(_database);
        }
        _hosts.Add(host);
        host.Services.GetRequiredService<IngestionEvents>().Changed += p => Progress.Enqueue((host, p));
        return host;
    }

    public async Task<IHost> StartAsync(string storagePath = "files")
    {
        var host = await AddAsync(storagePath);
        await StartAsync(host);
        return host;
    }

    public static async Task StartAsync(IHost host)
    {
        await host.StartAsync();
        await host.Services.GetRequiredService<IngestionQueue>().Started;
    }

    public async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        _stopped.Add(host);
    }

    public static Guid IdOf(IHost host) => host.Services.GetRequiredService<ReplicaIdentity>().Id;

    /// <summary>A document stored through <paramref name="host"/>'s file store, written straight to the table as given.</summary>
    public async Task<Guid> InsertDocumentAsync(IHost host, string text, DocumentStatus status, Guid? replicaId)
    {
        var stored = await host.Services.GetRequiredService<IDocumentFileStore>().SaveAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)),
            long.MaxValue, CancellationToken.None);
        var now = TimeProvider.System.GetUtcNow();
        var document = new Document
        {
            Id = Guid.CreateVersion7(now),
            DisplayName = "left.md",
            UploadedBy = "admin-1",
            StorageKey = stored.Key,
            SizeBytes = stored.SizeBytes,
            Sha256 = stored.Sha256,
            ContentType = "text/markdown",
            Status = status,
            Progress = 0.5,
            ReplicaId = replicaId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await Contexts.CreateDbContextAsync();
        db.Add(document);
        await db.SaveChangesAsync();
        return document.Id;
    }

    public async Task<Document> DocumentAsync(Guid id)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Set<Document>().AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>Reads the database until the condition holds; fails after <paramref name="seconds"/>.</summary>
    public async Task<T> UntilAsync<T>(Func<NovaDbContext, Task<T>> probe, Func<T, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            T value;
            await using (var db = await Contexts.CreateDbContextAsync())
            {
                value = await probe(db);
            }
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {seconds} seconds; last value: {value}");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            if (!_stopped.Contains(host))
            {
                await host.StopAsync();
            }
            host.Dispose();
        }
        _database.Dispose();
        _folder.Delete(recursive: true);
    }
}

using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;

namespace Nova.Tests.Unit.Rag;

/// <summary>A host with AddNovaData + AddNovaRag on a migrated SQLite file, MiniLM and the embedded store.</summary>
public sealed class RagTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsDatabase;

    private RagTestHost(IHost host, RagTestDatabase database, bool ownsDatabase)
    {
        _host = host;
        _ownsDatabase = ownsDatabase;
        Database = database;
    }

    public RagTestDatabase Database { get; }

    public IServiceProvider Services => _host.Services;

    public DocumentService Documents => Services.GetRequiredService<DocumentService>();

    public RetrievalService Retrieval => Services.GetRequiredService<RetrievalService>();

    public DocumentLibrary Library => new(Services);

    public string StoragePath => Path.Combine(Database.Folder, "files");

    public static ClaimsPrincipal Admin { get; } = Principal("admin-1", NovaRoles.Admin);

    public static ClaimsPrincipal Principal(string id, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    /// <summary>Starts a host; pass <paramref name="database"/> to share one between hosts (a restart), which the caller then disposes.</summary>
    public static async Task<RagTestHost> StartAsync(IDictionary<string, string?>? settings = null, RagTestDatabase? database = null,
        Action<IServiceCollection>? services = null)
    {
        var ownsDatabase = database is null;
        database ??= await RagTestDatabase.CreateAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = database.Folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nova"] = database.ConnectionString,
            ["Nova:Rag:StoragePath"] = "files",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddLogging();
        builder.AddNovaData();
        builder.AddNovaRag();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IngestionQueue>().Started;
        return new RagTestHost(host, database, ownsDatabase);
    }

    public Task<Guid> CollectionAsync(string name, string visibility = Collection.Everyone) => Library.CollectionAsync(name, visibility);

    /// <summary>Uploads and waits, through the progress events, until the document is Ready or Failed.</summary>
    public Task<DocumentInfo> IngestAsync(byte[] content, string name, params Guid[] collections) => Library.IngestAsync(content, name, collections);

    public Func<Guid, Task> WatchForEnd() => Library.WatchForEnd();

    public Task<DocumentInfo> WaitAsync(Guid id, Func<Guid, Task> done) => Library.WaitAsync(id, done);

    public Task<List<Chunk>> ChunksAsync(Guid documentId) => Library.ChunksAsync(documentId);

    /// <summary>Stops this host's ingestion worker, so documents uploaded from now on are ingested by another replica.</summary>
    public Task StopIngestionAsync() => Services.GetRequiredService<IngestionQueue>().StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

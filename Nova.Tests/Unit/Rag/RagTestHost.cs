using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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

    public string StoragePath => Path.Combine(Database.Folder, "files");

    public static ClaimsPrincipal Admin { get; } = Principal("admin-1", NovaRoles.Admin);

    public static ClaimsPrincipal Principal(string id, params string[] roles) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, id), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    /// <summary>Starts a host; pass <paramref name="database"/> to share one between hosts (a restart), which the caller then disposes.</summary>
    public static async Task<RagTestHost> StartAsync(IDictionary<string, string?>? settings = null, RagTestDatabase? database = null)
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
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IngestionQueue>().Started;
        return new RagTestHost(host, database, ownsDatabase);
    }

    public async Task<Guid> CollectionAsync(string name, string visibility = Collection.Everyone)
    {
        if (visibility != Collection.Everyone)
        {
            await using var db = Database.Contexts.CreateDbContext();
            if (!await db.Roles.AnyAsync(r => r.Name == visibility))
            {
                db.Roles.Add(new IdentityRole(visibility) { NormalizedName = visibility.ToUpperInvariant() });
                await db.SaveChangesAsync();
            }
        }
        return (await Documents.CreateCollectionAsync(Admin, name, visibility)).Id;
    }

    /// <summary>Uploads and waits, through the progress events, until the document is Ready or Failed.</summary>
    public async Task<DocumentInfo> IngestAsync(byte[] content, string name, params Guid[] collections)
    {
        var done = WatchForEnd();
        var info = await Documents.UploadAsync(Admin, new MemoryStream(content), name, collections);
        return await WaitAsync(info.Id, done);
    }

    public Func<Guid, Task> WatchForEnd()
    {
        var finished = new System.Collections.Concurrent.ConcurrentDictionary<Guid, TaskCompletionSource>();
        TaskCompletionSource For(Guid id) => finished.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Services.GetRequiredService<IngestionEvents>().Changed += p =>
        {
            if (p.Status is DocumentStatus.Ready or DocumentStatus.Failed)
            {
                For(p.DocumentId).TrySetResult();
            }
        };
        return id => For(id).Task.WaitAsync(TimeSpan.FromSeconds(120));
    }

    public async Task<DocumentInfo> WaitAsync(Guid id, Func<Guid, Task> done)
    {
        var current = await Documents.GetAsync(Admin, id);
        if (current?.Status is not (DocumentStatus.Ready or DocumentStatus.Failed))
        {
            await done(id);
        }
        return (await Documents.GetAsync(Admin, id))!;
    }

    public async Task<List<Chunk>> ChunksAsync(Guid documentId)
    {
        await using var db = Database.Contexts.CreateDbContext();
        return await db.Set<Chunk>().Where(c => c.DocumentId == documentId).OrderBy(c => c.Ordinal).ToListAsync();
    }

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

using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Bench;

/// <summary>
/// Nova's services in this process, registered as the app registers them (AddNovaData, AddNovaIdentity,
/// then the areas a scenario asks for), on a migrated SQLite file in a temporary folder removed on dispose.
/// </summary>
public sealed class NovaServicesHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _folder;

    private NovaServicesHost(IHost host, DirectoryInfo folder)
    {
        _host = host;
        _folder = folder;
    }

    public IServiceProvider Services => _host.Services;

    public IDbContextFactory<NovaDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<NovaDbContext>>();

    public static ClaimsPrincipal Admin { get; } = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, "bench-admin"), new Claim(ClaimTypes.Role, NovaRoles.Admin)], "bench"));

    /// <summary>Data and RAG: MiniLM embeddings, the embedded vector store, BM25 and the ingestion queue.</summary>
    public static Task<NovaServicesHost> StartRagAsync() => StartAsync(new Dictionary<string, string?>(), builder => builder.AddNovaRag());

    public static async Task<NovaServicesHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Action<IHostApplicationBuilder> areas)
    {
        var folder = Directory.CreateTempSubdirectory("nova-bench-");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.FullName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nova"] = $"Data Source={Path.Combine(folder.FullName, "nova.db")}",
            ["Nova:Rag:StoragePath"] = "files",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.AddNovaData();
        builder.AddNovaIdentity();
        areas(builder);
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await host.StartAsync();
        if (host.Services.GetService<IngestionQueue>() is { } queue)
        {
            await queue.Started;
        }
        return new NovaServicesHost(host, folder);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<Guid> CreateCollectionAsync(string name) =>
        (await Get<DocumentService>().CreateCollectionAsync(Admin, name, Collection.Everyone)).Id;

    public async Task<string> CreateUserAsync(string name)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var user = new NovaUser { UserName = $"{name}@bench.invalid", Email = $"{name}@bench.invalid" };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

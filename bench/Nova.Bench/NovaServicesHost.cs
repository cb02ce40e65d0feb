using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Bench.Rag;

/// <summary>
/// Nova's data and RAG services registered as the app registers them (AddNovaData, AddNovaIdentity,
/// AddNovaRag: MiniLM embeddings, the embedded vector store, BM25, the ingestion queue), in this
/// process, on a migrated SQLite file in a temporary folder that is removed on dispose.
/// </summary>
public sealed class RagHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly DirectoryInfo _folder;

    private RagHost(IHost host, DirectoryInfo folder)
    {
        _host = host;
        _folder = folder;
    }

    public IServiceProvider Services => _host.Services;

    public IDbContextFactory<NovaDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<NovaDbContext>>();

    public static ClaimsPrincipal Admin { get; } = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, "bench-admin"), new Claim(ClaimTypes.Role, NovaRoles.Admin)], "bench"));

    public static async Task<RagHost> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("nova-bench-rag-");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder.FullName });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Nova"] = $"Data Source={Path.Combine(folder.FullName, "nova.db")}",
            ["Nova:Rag:StoragePath"] = "files",
        });
        builder.Services.AddLogging();
        builder.AddNovaData();
        builder.AddNovaIdentity();
        builder.AddNovaRag();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await host.StartAsync();
        await host.Services.GetRequiredService<IngestionQueue>().Started;
        return new RagHost(host, folder);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<Guid> CreateCollectionAsync(string name) =>
        (await Get<DocumentService>().CreateCollectionAsync(Admin, name, Collection.Everyone)).Id;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}

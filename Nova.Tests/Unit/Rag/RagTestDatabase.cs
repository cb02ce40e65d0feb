using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.Tests.Unit.Rag;

/// <summary>
/// A migrated SQLite file in its own temporary folder, removed whole on dispose. Its contexts come
/// from Nova's own registration, so their model is exactly the app's.
/// </summary>
public sealed class RagTestDatabase : IAsyncDisposable
{
    private readonly IHost _services;

    private RagTestDatabase(string folder)
    {
        Folder = folder;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = folder });
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:Nova", ConnectionString)]);
        builder.AddNovaData();
        builder.AddNovaIdentity();
        _services = builder.Build();
    }

    public string Folder { get; }

    public string ConnectionString => $"Data Source={Path.Combine(Folder, "nova.db")}";

    public IDbContextFactory<NovaDbContext> Contexts => _services.Services.GetRequiredService<IDbContextFactory<NovaDbContext>>();

    public static async Task<RagTestDatabase> CreateAsync()
    {
        var database = new RagTestDatabase(Directory.CreateTempSubdirectory("nova-rag-").FullName);
        await database._services.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return database;
    }

    public ValueTask DisposeAsync()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

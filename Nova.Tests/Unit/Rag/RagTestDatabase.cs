using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;

namespace Nova.Tests.Unit.Rag;

/// <summary>A migrated SQLite file in its own temporary folder, removed whole on dispose.</summary>
public sealed class RagTestDatabase : IAsyncDisposable
{
    private RagTestDatabase(string folder) => Folder = folder;

    public string Folder { get; }

    public string ConnectionString => $"Data Source={Path.Combine(Folder, "nova.db")}";

    public IDbContextFactory<NovaDbContext> Contexts => new Factory(ConnectionString);

    public static async Task<RagTestDatabase> CreateAsync()
    {
        var database = new RagTestDatabase(Directory.CreateTempSubdirectory("nova-rag-").FullName);
        await using var db = new SqliteNovaDbContext(Options(database.ConnectionString));
        await db.Database.MigrateAsync();
        return database;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static DbContextOptions<SqliteNovaDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<SqliteNovaDbContext>()
            .UseSqlite(connectionString)
            .UseApplicationServiceProvider(DesignTimeServices.Identity)
            .Options;

    private sealed class Factory(string connectionString) : IDbContextFactory<NovaDbContext>
    {
        public NovaDbContext CreateDbContext() =>
            new SqliteNovaDbContext(Options(connectionString));
    }
}

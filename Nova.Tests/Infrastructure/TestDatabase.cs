using Nova.Services.Data;

namespace Nova.Tests.Infrastructure;

/// <summary>A fresh, empty database of one provider: a temp SQLite file or a new PostgreSQL database.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _sqliteDirectory;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteDirectory = sqliteDirectory;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Both providers, for theories that must hold on each.</summary>
    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new TestDatabase(provider, await PostgresServer.CreateDatabaseAsync(), null);
        }
        var directory = Directory.CreateTempSubdirectory("nova-sqlite-").FullName;
        return new TestDatabase(provider, $"Data Source={Path.Combine(directory, "nova.db")}", directory);
    }

    /// <summary>Configuration keys that point Nova at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Nova:Database:Provider", Provider.ToString()),
        new("ConnectionStrings:Nova", ConnectionString),
    ];

    public void Dispose()
    {
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteDirectory, recursive: true);
        }
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Nova.Services.Data;

/// <summary>
/// Applies pending migrations at start. When two instances start together exactly one migrates and
/// the other waits, then finds nothing to do: EF Core's migration lock does this on SQLite, an
/// advisory lock on PostgreSQL.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<NovaDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    // Any constant shared by all instances; "Nova" in ASCII.
    private const long AdvisoryLockKey = 0x4E6F7661;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            EnsureSqliteDirectory(db.Database.GetConnectionString());
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migrations on {Provider}", pending.Count, db.Database.ProviderName);
        }
        if (db.Database.IsNpgsql())
        {
            await MigrateHoldingAdvisoryLockAsync(db, cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while a generation flushes its text.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// Npgsql's migration lock lasts one migration's transaction, so with several pending migrations a
    /// second instance could start on one the first had already applied. A session-level advisory lock
    /// on one open connection covers the whole run.
    /// </summary>
    private static async Task MigrateHoldingAdvisoryLockAsync(NovaDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void EnsureSqliteDirectory(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(dataSource);
        if (!string.IsNullOrEmpty(directory) && Path.IsPathRooted(dataSource))
        {
            Directory.CreateDirectory(directory);
        }
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Data;

public sealed class SqliteSettingsTests
{
    [Fact]
    public async Task EveryConnectionLogsAheadCommitsWithoutWaitingForTheDiskAndWaitsForTheWriteLockItself()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);

        // Two contexts open at once hold two physical connections.
        await using var first = host.CreateContext();
        await using var second = host.CreateContext();
        await first.Database.OpenConnectionAsync();
        await second.Database.OpenConnectionAsync();

        foreach (var db in new[] { first, second })
        {
            Assert.Equal("wal", await PragmaAsync(db, "journal_mode"));
            Assert.Equal("1", await PragmaAsync(db, "synchronous")); // NORMAL
            Assert.Equal("5000", await PragmaAsync(db, "busy_timeout"));
        }
    }

    private static async Task<string?> PragmaAsync(NovaDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

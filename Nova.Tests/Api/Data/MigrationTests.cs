using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Data;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task MigrationsBringAnEmptyDatabaseToTheCurrentModel(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);

        await using var db = host.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(NovaRoles.All.Order(), (await db.Roles.Select(r => r.Name!).ToListAsync()).Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoInstancesStartingTogetherApplyEachMigrationExactlyOnce(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var first = NovaServices.Build(database);
        using var second = NovaServices.Build(database);

        await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync()),
            Task.Run(() => second.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync()));

        await using var db = first.CreateContext();
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Equal(applied.Count, applied.Distinct().Count());
    }
}

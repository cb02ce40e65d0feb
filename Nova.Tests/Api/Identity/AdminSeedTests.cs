using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;
using Nova.Tests.Unit.Llm;

namespace Nova.Tests.Api.Identity;

/// <summary>The <c>Nova:Admin</c> seed promotes only the account it created, whoever holds its address later.</summary>
public sealed class AdminSeedTests
{
    private const string SeedPassword = "Se3d!Passw0rd";
    private const string UserPassword = "Us3r!Passw0rd";
    private static readonly (string, string)[] Seed = [("Nova:Admin:Email", "boss@example.com"), ("Nova:Admin:Password", SeedPassword)];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnAccountThatRegisteredTheSeedsAddressFirstIsNotMadeAdminAndNovaRefusesToStart(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using (var before = await NovaServices.StartAsync(database))
        {
            await RegisterAsync(before, "owner@example.com");
            await RegisterAsync(before, "boss@example.com");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NovaServices.StartAsync(database, Seed));

        Assert.Contains("did not create", error.Message);
        Assert.Contains("Nova:Admin:Email", error.Message);
        using var host = NovaServices.Build(database);
        Assert.Equal(["owner@example.com"], await AccountRegistrationTests.AdminEmailsAsync(host));
    }

    [Fact]
    public async Task AUserWhoTakesTheSeedsAddressAfterTheAdminMovedIsNotMadeAdminAtRestart()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using (var first = await NovaServices.StartAsync(database, Seed))
        {
            await RegisterAsync(first, "mallory@example.com");
            await ChangeEmailAsync(first, "boss@example.com", "boss.new@example.com", SeedPassword);
            await ChangeEmailAsync(first, "mallory@example.com", "boss@example.com", UserPassword);
        }
        var logs = new LlmTestHost.LogRecorder();

        using var host = await NovaServices.StartAsync(database, logs, Seed);

        Assert.Equal(["boss.new@example.com"], await AccountRegistrationTests.AdminEmailsAsync(host));
        await using var db = host.CreateContext();
        Assert.Equal(2, await db.Users.CountAsync());
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("boss.new@example.com") && l.Contains("creates no other"));
    }

    [Fact]
    public async Task AfterTheSeededAdminChangesTheirEmailARestartCreatesNoSecondAdmin()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using (var first = await NovaServices.StartAsync(database, Seed))
        {
            await ChangeEmailAsync(first, "boss@example.com", "boss.new@example.com", SeedPassword);
        }

        using var host = await NovaServices.StartAsync(database, Seed);

        Assert.Equal(["boss.new@example.com"], await AccountRegistrationTests.AdminEmailsAsync(host));
        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task ARestartAfterAnAdminDeletedTheSeededAccountCreatesNoNewOne()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using (var first = await NovaServices.StartAsync(database, Seed))
        {
            await RegisterAsync(first, "owner@example.com");
            await using var scope = first.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
            var (boss, owner) = ((await users.FindByEmailAsync("boss@example.com"))!.Id, (await users.FindByEmailAsync("owner@example.com"))!.Id);
            var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await administration.SetAdminAsync(boss, owner, admin: true);
            await administration.DeleteAsync(owner, boss);
        }
        var logs = new LlmTestHost.LogRecorder();

        using var host = await NovaServices.StartAsync(database, logs, Seed);

        Assert.Equal(["owner@example.com"], await AccountRegistrationTests.AdminEmailsAsync(host));
        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("was deleted"));
    }

    [Fact]
    public async Task AnExistingAccountThatProvesTheConfiguredPasswordIsTakenAsTheSeededAdmin()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using (var before = await NovaServices.StartAsync(database))
        {
            await RegisterAsync(before, "owner@example.com");
            await RegisterAsync(before, "boss@example.com", SeedPassword);
        }

        using var host = await NovaServices.StartAsync(database, Seed);

        Assert.Equal(["boss@example.com", "owner@example.com"], (await AccountRegistrationTests.AdminEmailsAsync(host)).Order());
    }

    private static async Task RegisterAsync(IHost host, string email, string password = UserPassword)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, password, null);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }

    private static async Task ChangeEmailAsync(IHost host, string email, string newEmail, string password)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        var result = await scope.ServiceProvider.GetRequiredService<AccountProfile>().ChangeEmailAsync((await users.FindByEmailAsync(email))!, newEmail, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

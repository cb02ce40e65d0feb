using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Identity;

public sealed class AccountRegistrationTests
{
    private const string Password = "Str0ng!Passw0rd";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OfManyRegistrationsRacingOnAnEmptyDatabaseExactlyOneBecomesAdmin(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => RegisterAsync(host, $"racer{i}@example.com"))));

        Assert.All(results, r => Assert.True(r.Succeeded, string.Join(" ", r.Errors)));
        Assert.Single(results, r => r.IsAdmin);
        Assert.Single(await AdminEmailsAsync(host));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheFirstAccountIsAdminAndTheNextAreUsers(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        using var host = await NovaServices.StartAsync(database);

        var first = await RegisterAsync(host, "first@example.com");
        var second = await RegisterAsync(host, "second@example.com");

        Assert.True(first.IsAdmin);
        Assert.False(second.IsAdmin);
        Assert.Equal(["first@example.com"], await AdminEmailsAsync(host));
    }

    [Fact]
    public async Task AConfiguredAdminIsSeededAndRegistrationsAfterItAreUsers()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database,
            ("Nova:Admin:Email", "boss@example.com"), ("Nova:Admin:Password", Password));

        var next = await RegisterAsync(host, "someone@example.com");

        Assert.False(next.IsAdmin);
        Assert.Equal(["boss@example.com"], await AdminEmailsAsync(host));
    }

    [Fact]
    public async Task SeedingTheSameAdminTwiceKeepsOneAccount()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        (string, string)[] seed = [("Nova:Admin:Email", "boss@example.com"), ("Nova:Admin:Password", Password)];
        using (await NovaServices.StartAsync(database, seed))
        {
        }
        using var host = await NovaServices.StartAsync(database, seed);

        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task UnderApprovalRequiredNewUsersWaitAndCannotSignInUntilApproved()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database, ("Nova:Registration:Mode", "ApprovalRequired"));
        var admin = await RegisterAsync(host, "admin@example.com");

        var pending = await RegisterAsync(host, "waiting@example.com");

        Assert.False(admin.RequiresApproval);
        Assert.True(pending.RequiresApproval);
        Assert.False(await CanSignInAsync(host, "waiting@example.com"));

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().ApproveAsync(admin.User!.Id, pending.User!.Id);
        }
        Assert.True(await CanSignInAsync(host, "waiting@example.com"));
    }

    [Fact]
    public async Task ClosedRegistrationAcceptsOnlyTheFirstAccount()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database, ("Nova:Registration:Mode", "Closed"));

        var first = await RegisterAsync(host, "owner@example.com");
        var second = await RegisterAsync(host, "intruder@example.com");

        Assert.True(first.IsAdmin);
        Assert.False(second.Succeeded);
        Assert.Contains("closed", second.Errors.Single(), StringComparison.OrdinalIgnoreCase);
        await using var db = host.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task AnOverLongDisplayNameIsRefusedWithAMessageAndNothingIsStored()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);

        var result = await RegisterAsync(host, "long@example.com", new string('x', NovaUser.MaxDisplayNameLength + 1));

        Assert.False(result.Succeeded);
        Assert.Contains("at most 100", result.Errors.Single());
        await using var db = host.CreateContext();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task AWeakPasswordIsRefusedWithIdentitysReasons()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);

        var result = await RegisterAsync(host, "weak@example.com", password: "short");

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
    }

    private static async Task<RegistrationResult> RegisterAsync(IHost host, string email, string? displayName = null, string password = Password)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, password, displayName);
    }

    private static async Task<bool> CanSignInAsync(IHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        var confirmation = scope.ServiceProvider.GetRequiredService<IUserConfirmation<NovaUser>>();
        return await confirmation.IsConfirmedAsync(users, (await users.FindByEmailAsync(email))!);
    }

    internal static async Task<List<string>> AdminEmailsAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        return [.. (await users.GetUsersInRoleAsync(NovaRoles.Admin)).Select(u => u.Email!)];
    }
}

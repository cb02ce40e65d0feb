using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Rag.Model;
using Nova.Services.Rag.Retrieval;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Identity;

/// <summary>Sign-in, the API and document retrieval agree on who is locked out.</summary>
public sealed class UserAccessTests
{
    private const string Password = "Str0ng!Passw0rd";

    [Fact]
    public async Task AnAccountThatIdentityDoesNotCountAsLockedReadsItsCollections()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);
        await RegisterAsync(host, "owner@example.com");
        var user = await RegisterAsync(host, "user@example.com");
        // A lockout end left over while lockout is disabled for the account: Identity does not count it.
        await WithUsersAsync(host, async users =>
        {
            var account = (await users.FindByIdAsync(user))!;
            await users.SetLockoutEndDateAsync(account, DateTimeOffset.MaxValue);
            await users.SetLockoutEnabledAsync(account, false);
        });
        var everyone = await AddCollectionAsync(host, Collection.Everyone);

        var readable = await ActivatorUtilities.CreateInstance<CollectionAccess>(host.Services).ReadableAsync(user);

        await WithUsersAsync(host, async users => Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(user))!)));
        Assert.Contains(everyone, readable);
    }

    [Fact]
    public async Task ALockedAccountReadsNoCollections()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = await NovaServices.StartAsync(database);
        var owner = await RegisterAsync(host, "owner@example.com");
        var user = await RegisterAsync(host, "user@example.com");
        await AddCollectionAsync(host, Collection.Everyone);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetLockedAsync(owner, user, locked: true);
        }

        var readable = await ActivatorUtilities.CreateInstance<CollectionAccess>(host.Services).ReadableAsync(user);

        Assert.Empty(readable);
    }

    private static async Task<string> RegisterAsync(IHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, Password, null);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.User!.Id;
    }

    private static async Task WithUsersAsync(IHost host, Func<UserManager<NovaUser>, Task> use)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await use(scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>());
    }

    private static async Task<Guid> AddCollectionAsync(IHost host, string visibility)
    {
        await using var db = host.CreateContext();
        var collection = new Collection { Id = Guid.NewGuid(), Name = "Handbook", Visibility = visibility };
        db.Add(collection);
        await db.SaveChangesAsync();
        return collection.Id;
    }
}

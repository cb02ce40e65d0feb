using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.App.Components.Account;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Identity;

public sealed class UserAdministrationTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private IHost _host = default!;
    private string _adminId = "";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        _host = await NovaServices.StartAsync(_database);
        _adminId = await RegisterAsync("admin@example.com");
    }

    [Fact]
    public async Task LockingAUserRenewsTheirStampTellsTheirCircuitsAndBlocksSignIn()
    {
        var userId = await RegisterAsync("user@example.com");
        var stampBefore = await WithUsersAsync(u => u.GetSecurityStampAsync(FindAsync(u, userId)));
        var signalled = new List<string>();
        _host.Services.GetRequiredService<UserSessionSignals>().AccountChanged += signalled.Add;

        await AdministerAsync(a => a.SetLockedAsync(_adminId, userId, locked: true));

        Assert.Equal([userId], signalled);
        Assert.NotEqual(stampBefore, await WithUsersAsync(u => u.GetSecurityStampAsync(FindAsync(u, userId))));
        Assert.True(await WithUsersAsync(u => u.IsLockedOutAsync(FindAsync(u, userId))));

        await AdministerAsync(a => a.SetLockedAsync(_adminId, userId, locked: false));
        Assert.False(await WithUsersAsync(u => u.IsLockedOutAsync(FindAsync(u, userId))));
    }

    [Fact]
    public async Task ACircuitThatStartsAfterItsUserWasLockedIsSignedOutAtOnce()
    {
        var userId = await RegisterAsync("user@example.com");
        // The page was requested (and prerendered) with this cookie; the lock comes before its circuit starts.
        var principal = await WithUsersAsync(async u => await _host.Services.CreateScope().ServiceProvider
            .GetRequiredService<IUserClaimsPrincipalFactory<NovaUser>>().CreateAsync(FindAsync(u, userId)));
        await AdministerAsync(a => a.SetLockedAsync(_adminId, userId, locked: true));

        using var circuit = new IdentityRevalidatingAuthenticationStateProvider(
            _host.Services.GetRequiredService<ILoggerFactory>(), _host.Services.GetRequiredService<IServiceScopeFactory>(),
            _host.Services.GetRequiredService<IOptions<IdentityOptions>>(), _host.Services.GetRequiredService<UserSessionSignals>());
        var signedOut = new TaskCompletionSource();
        circuit.AuthenticationStateChanged += async state =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult();
            }
        };
        circuit.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        // Well within the periodic check's minute.
        await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PromotingAndDemotingChangesTheAdminRole()
    {
        var userId = await RegisterAsync("user@example.com");

        await AdministerAsync(a => a.SetAdminAsync(_adminId, userId, admin: true));
        Assert.Contains("user@example.com", await AccountRegistrationTests.AdminEmailsAsync(_host));

        await AdministerAsync(a => a.SetAdminAsync(_adminId, userId, admin: false));
        Assert.DoesNotContain("user@example.com", await AccountRegistrationTests.AdminEmailsAsync(_host));
    }

    [Fact]
    public async Task AnAdminCannotLockDemoteOrDeleteThemselves()
    {
        await Assert.ThrowsAsync<UserAdministrationException>(() => AdministerAsync(a => a.SetLockedAsync(_adminId, _adminId, true)));
        await Assert.ThrowsAsync<UserAdministrationException>(() => AdministerAsync(a => a.SetAdminAsync(_adminId, _adminId, false)));
        await Assert.ThrowsAsync<UserAdministrationException>(() => AdministerAsync(a => a.DeleteAsync(_adminId, _adminId)));

        Assert.Equal(["admin@example.com"], await AccountRegistrationTests.AdminEmailsAsync(_host));
    }

    [Fact]
    public async Task DeletingAUserRemovesThemAndSignalsTheirCircuits()
    {
        var userId = await RegisterAsync("gone@example.com");
        var signalled = new List<string>();
        _host.Services.GetRequiredService<UserSessionSignals>().AccountChanged += signalled.Add;

        await AdministerAsync(a => a.DeleteAsync(_adminId, userId));

        Assert.Equal([userId], signalled);
        Assert.Null(await WithUsersAsync(u => u.FindByIdAsync(userId)));
    }

    [Fact]
    public async Task TheListIsPagedSearchableAndShowsPendingFirst()
    {
        for (var i = 0; i < 12; i++)
        {
            await RegisterAsync($"member{i:00}@example.com");
        }

        var firstPage = await ListAsync(null, page: 0, pageSize: 5);
        var lastPage = await ListAsync(null, page: 2, pageSize: 5);
        var search = await ListAsync("MEMBER1", page: 0, pageSize: 50);

        Assert.Equal(13, firstPage.Total);
        Assert.Equal(5, firstPage.Users.Count);
        Assert.Equal(3, lastPage.Users.Count);
        Assert.Equal(["member10@example.com", "member11@example.com"], search.Users.Select(u => u.Email));
        Assert.True(firstPage.Users.Single(u => u.Email == "admin@example.com").IsAdmin);
    }

    [Fact]
    public async Task ChangingAUserWhoWasDeletedMeanwhileGivesAClearError()
    {
        var error = await Assert.ThrowsAsync<UserAdministrationException>(() =>
            AdministerAsync(a => a.SetLockedAsync(_adminId, "no-such-user", locked: true)));

        Assert.Contains("no longer exists", error.Message);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> RegisterAsync(string email)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, "Str0ng!Passw0rd", null);
        return result.User!.Id;
    }

    private async Task<UserPage> ListAsync(string? search, int page, int pageSize)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(search, page, pageSize);
    }

    private async Task AdministerAsync(Func<UserAdministration, Task> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    private async Task<T> WithUsersAsync<T>(Func<UserManager<NovaUser>, Task<T>> query)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>());
    }

    private static NovaUser FindAsync(UserManager<NovaUser> users, string id) => users.FindByIdAsync(id).GetAwaiter().GetResult()!;
}

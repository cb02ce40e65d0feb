using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Accounts;

/// <summary>Nova on a fresh SQLite file in a registration mode, with browsers that post its forms.</summary>
public sealed class AccountsApp : IAsyncDisposable
{
    public const string Password = "Str0ng!Passw0rd";

    private readonly TestDatabase _database;
    private readonly NovaAppFactory _factory;

    private AccountsApp(TestDatabase database, RegistrationMode mode, (string Key, string Value)[] settings)
    {
        _database = database;
        _factory = new NovaAppFactory(database,
            [new($"{RegistrationOptions.Section}:Mode", mode.ToString()), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
    }

    public static async Task<AccountsApp> StartAsync(RegistrationMode mode = RegistrationMode.Open, params (string Key, string Value)[] settings) =>
        new(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite), mode, settings);

    /// <summary>A new browser: its own cookie jar, redirects left to <see cref="FormBrowser"/> to follow.</summary>
    public FormBrowser NewBrowser() =>
        new(_factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<T> WithUsersAsync<T>(Func<UserManager<NovaUser>, Task<T>> use)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>());
    }

    public Task<NovaUser?> FindUserAsync(string email) => WithUsersAsync(users => users.FindByEmailAsync(email));

    public Task<IList<string>> RolesOfAsync(string email) => WithUsersAsync(async users =>
        await users.GetRolesAsync(await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}")));

    public Task<int> CountUsersAsync() => WithUsersAsync(users => Task.FromResult(users.Users.Count()));

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _database.Dispose();
    }
}

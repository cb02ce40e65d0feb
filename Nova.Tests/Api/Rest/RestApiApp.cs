using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.Services.Chat;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

/// <summary>Nova on a fresh test database with a known JWT signing key, and helpers to call its REST API.</summary>
internal sealed class RestApiApp : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hs256";
    public const string Password = "Str0ng!Passw0rd";

    private RestApiApp(TestDatabase database, NovaAppFactory factory)
    {
        Database = database;
        Factory = factory;
    }

    public TestDatabase Database { get; }

    public NovaAppFactory Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>Real-socket address when started with <see cref="StartOnRealPortAsync"/>.</summary>
    public Uri? Address { get; private set; }

    public static async Task<RestApiApp> StartAsync(DatabaseProvider provider, params (string Key, string Value)[] settings)
    {
        var app = await CreateAsync(provider, settings);
        app.Factory.CreateClient().Dispose();
        return app;
    }

    /// <summary>Serves from Kestrel on loopback, so requests have a real client address.</summary>
    public static async Task<RestApiApp> StartOnRealPortAsync(DatabaseProvider provider, params (string Key, string Value)[] settings)
    {
        var app = await CreateAsync(provider, settings);
        app.Address = app.Factory.StartOnRealPort();
        return app;
    }

    private static async Task<RestApiApp> CreateAsync(DatabaseProvider provider, (string Key, string Value)[] settings)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var factory = new NovaAppFactory(database,
            [new("Nova:Jwt:SigningKey", SigningKey), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        return new RestApiApp(database, factory);
    }

    /// <summary>A client of the in-memory server, or of the real port once the app serves from one.</summary>
    public HttpClient Client(string? bearer = null)
    {
        var client = Address is null
            ? Factory.CreateClient(new() { AllowAutoRedirect = false })
            : new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public async Task<string> RegisterAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(email, Password, null);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        return result.User!.Id;
    }

    public async Task<string> TokenAsync(string email, string password = Password)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<(Guid Id, string Key)> CreateKeyAsync(string token, string name = "laptop")
    {
        using var client = Client(token);
        var response = await client.PostAsJsonAsync("/api/v1/auth/keys", new { name });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("id").GetGuid(), body.RootElement.GetProperty("key").GetString()!);
    }

    /// <summary>Runs <paramref name="action"/> with the chat service of a fresh scope, as a circuit or request would.</summary>
    public async Task<T> WithChatAsync<T>(Func<ChatService, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ChatService>());
    }

    public async Task AdministerAsync(Func<UserAdministration, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    /// <summary>A valid UI sign-in cookie for the user, as the login page would set it.</summary>
    public async Task<string> SignInCookieAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<NovaUser>>();
        var principal = await factory.CreateAsync((await users.FindByEmailAsync(email))!);
        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, IdentityConstants.ApplicationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Database.Dispose();
    }
}

using System.Net;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

public sealed class RevocationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LockingAUserStopsTheirTokenAndTheirKeyAtOnce(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        var adminId = await app.RegisterAsync("admin@example.com");
        var userId = await app.RegisterAsync("user@example.com");
        var token = await app.TokenAsync("user@example.com");
        var (_, key) = await app.CreateKeyAsync(token);
        using var withToken = app.Client(token);
        using var withKey = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await withToken.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);

        await app.AdministerAsync(a => a.SetLockedAsync(adminId, userId, locked: true));

        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ADemotedAdminLosesAdminAccessAtOnce(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        var firstAdminId = await app.RegisterAsync("admin@example.com");
        var secondId = await app.RegisterAsync("second@example.com");
        await app.AdministerAsync(a => a.SetAdminAsync(firstAdminId, secondId, admin: true));
        var token = await app.TokenAsync("second@example.com");
        var (_, key) = await app.CreateKeyAsync(token);
        using var withKey = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/admin/users")).StatusCode);

        await app.AdministerAsync(a => a.SetAdminAsync(firstAdminId, secondId, admin: false));

        var afterDemotion = await withKey.GetAsync("/api/v1/admin/users");
        Assert.Equal(HttpStatusCode.Forbidden, afterDemotion.StatusCode);
        Assert.Equal("application/problem+json", afterDemotion.Content.Headers.ContentType?.MediaType);
        // Demotion renews the stamp, so the password token ends entirely; the key lives on as a plain user.
        using var withToken = app.Client(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ADeletedUsersKeyStopsWorking(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        var adminId = await app.RegisterAsync("admin@example.com");
        var userId = await app.RegisterAsync("user@example.com");
        var (_, key) = await app.CreateKeyAsync(await app.TokenAsync("user@example.com"));
        using var withKey = app.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);

        await app.AdministerAsync(a => a.DeleteAsync(adminId, userId));

        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task TheSignInCookieIsNotAcceptedByTheRestApi()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        await app.RegisterAsync("admin@example.com");
        var cookie = await app.SignInCookieAsync("admin@example.com");
        using var client = app.Client();
        client.DefaultRequestHeaders.Add("Cookie", cookie);

        var page = await client.GetAsync("/admin");
        var api = await client.GetAsync("/api/v1/auth/me");
        var adminApi = await client.GetAsync("/api/v1/admin/users");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, adminApi.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnAnonymousCallGetsAProblemNotARedirect()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.Client();

        var response = await client.GetAsync("/api/v1/admin/users");
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Unauthorized", problem.GetProperty("title").GetString());
        Assert.True(problem.TryGetProperty("type", out _));
        Assert.True(problem.TryGetProperty("traceId", out _));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

public sealed class TokenTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ATokenForAPasswordIdentifiesTheUserWithTheirRoles(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        var adminId = await app.RegisterAsync("admin@example.com");
        using var client = app.Client();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "admin@example.com", password = RestApiApp.Password });
        using var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", token.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3600, token.RootElement.GetProperty("expires_in").GetInt32());
        using var authorized = app.Client(token.RootElement.GetProperty("access_token").GetString());
        var me = await authorized.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        Assert.Equal(adminId, me.GetProperty("id").GetString());
        Assert.Equal("admin@example.com", me.GetProperty("email").GetString());
        Assert.Equal(["Admin", "User"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AWrongPasswordAndAnUnknownEmailGetTheSameAnswer(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        await app.RegisterAsync("user@example.com");
        using var client = app.Client();

        var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "user@example.com", password = "Wr0ng!Passw0rd" });
        var unknownUser = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@example.com", password = "Wr0ng!Passw0rd" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(Detail(await wrongPassword.Content.ReadAsStringAsync()), Detail(await unknownUser.Content.ReadAsStringAsync()));
        Assert.Equal("Invalid email or password.", Detail(await unknownUser.Content.ReadAsStringAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FiveWrongPasswordsLockTheAccountOnTheTokenEndpoint(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        await app.RegisterAsync("user@example.com");
        using var client = app.Client();

        for (var i = 0; i < 5; i++)
        {
            var failed = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "user@example.com", password = $"Wr0ng!Guess{i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        var right = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "user@example.com", password = RestApiApp.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked", Detail(await right.Content.ReadAsStringAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task APendingUserGetsNoTokenAndWrongGuessesStillCount(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider, ("Nova:Registration:Mode", "ApprovalRequired"));
        await app.RegisterAsync("admin@example.com");
        await app.RegisterAsync("pending@example.com");
        using var client = app.Client();

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "pending@example.com", password = "Wr0ng!Passw0rd" });
        var right = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "pending@example.com", password = RestApiApp.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Invalid email or password.", Detail(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("approval", Detail(await right.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("access_token", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AMissingPasswordIsABadRequest()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.Client();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "user@example.com" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static string? Detail(string problemJson) =>
        JsonDocument.Parse(problemJson).RootElement.GetProperty("detail").GetString();
}

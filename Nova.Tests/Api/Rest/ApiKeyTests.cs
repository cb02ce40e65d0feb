using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Identity.ApiKeys;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

public sealed class ApiKeyTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AKeyIsShownOnceStoredOnlyAsAHashAndWorksAsBearerOrHeader(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        var userId = await app.RegisterAsync("user@example.com");
        var token = await app.TokenAsync("user@example.com");

        var (id, key) = await app.CreateKeyAsync(token, "ci runner");

        Assert.Matches("^nova_[A-Za-z0-9_-]{43}$", key);
        using var withToken = app.Client(token);
        var listed = await withToken.GetStringAsync("/api/v1/auth/keys");
        Assert.DoesNotContain(key, listed);
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
        Assert.Equal(id, entry.GetProperty("id").GetGuid());
        Assert.Equal("ci runner", entry.GetProperty("name").GetString());
        Assert.Equal(key[..ApiKeyFormat.PrefixLength], entry.GetProperty("prefix").GetString());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<NovaDbContext>().Set<ApiKey>().AsNoTracking().SingleAsync();
            Assert.Equal(userId, stored.UserId);
            Assert.Equal(ApiKeyFormat.Hash(key), stored.Hash);
            Assert.DoesNotContain(key, JsonSerializer.Serialize(stored));
            Assert.DoesNotContain(key[ApiKeyFormat.PrefixLength..], JsonSerializer.Serialize(stored));
        }

        using var bearer = app.Client(key);
        using var header = app.Client();
        header.DefaultRequestHeaders.Add("X-Api-Key", key);
        var viaBearer = await bearer.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        var viaHeader = await header.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        Assert.Equal(userId, viaBearer.GetProperty("id").GetString());
        Assert.Equal("api_key", viaBearer.GetProperty("authMethod").GetString());
        Assert.Equal(userId, viaHeader.GetProperty("id").GetString());
        var used = JsonDocument.Parse(await withToken.GetStringAsync("/api/v1/auth/keys")).RootElement[0];
        Assert.NotEqual(JsonValueKind.Null, used.GetProperty("lastUsedAt").ValueKind);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARevokedKeyStopsWorkingAndAnotherUsersKeyIdIsNotFound(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        await app.RegisterAsync("owner@example.com");
        await app.RegisterAsync("other@example.com");
        var ownerToken = await app.TokenAsync("owner@example.com");
        var otherToken = await app.TokenAsync("other@example.com");
        var (id, key) = await app.CreateKeyAsync(ownerToken);
        using var withKey = app.Client(key);
        using var owner = app.Client(ownerToken);
        using var other = app.Client(otherToken);

        var byOther = await other.DeleteAsync($"/api/v1/auth/keys/{id}");
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal("application/problem+json", byOther.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal("[]", await other.GetStringAsync("/api/v1/auth/keys"));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/auth/keys/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/v1/auth/keys/{id}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AKeyCannotCreateMoreKeys(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider);
        await app.RegisterAsync("user@example.com");
        var (_, key) = await app.CreateKeyAsync(await app.TokenAsync("user@example.com"));
        using var withKey = app.Client(key);

        var response = await withKey.PostAsJsonAsync("/api/v1/auth/keys", new { name = "persistence" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AKeyNeedsAName(string name)
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        await app.RegisterAsync("user@example.com");
        using var client = app.Client(await app.TokenAsync("user@example.com"));

        var response = await client.PostAsJsonAsync("/api/v1/auth/keys", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", TokenTests.Detail(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnUnknownOrMalformedKeyIsUnauthorized(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider, ("Nova:RateLimits:AuthRequestsPerMinute", "100"));
        await app.RegisterAsync("user@example.com");
        await app.CreateKeyAsync(await app.TokenAsync("user@example.com"));

        foreach (var key in new[] { "nova_", "nova_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "nova_' OR 1=1 --AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "nova_%" })
        {
            using var bearer = app.Client(key);
            using var header = app.Client();
            header.DefaultRequestHeaders.Add("X-Api-Key", key);

            Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/auth/me")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await header.GetAsync("/api/v1/auth/me")).StatusCode);
        }
    }
}

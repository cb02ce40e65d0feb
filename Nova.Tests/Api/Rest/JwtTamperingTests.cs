using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nova.App.Api.Auth;
using Nova.Services.Data;

namespace Nova.Tests.Api.Rest;

/// <summary>Hand-made and tampered JWTs against one Nova per database provider (see the nested classes).</summary>
public abstract class JwtTamperingTests(JwtTamperingTests.Fixture fixture)
{
    [Fact]
    public async Task AHandCraftedTokenWithTheRealKeyIsAccepted()
    {
        var status = await CallWithAsync(Sign(RestApiApp.SigningKey, "nova", "nova-api", DateTime.UtcNow.AddMinutes(5)));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("wrong key")]
    [InlineData("wrong issuer")]
    [InlineData("wrong audience")]
    [InlineData("expired")]
    [InlineData("no expiry")]
    public async Task ATamperedTokenIsRefused(string tampering)
    {
        var token = tampering switch
        {
            "wrong key" => Sign("another-signing-key-that-is-also-long-enough", "nova", "nova-api", DateTime.UtcNow.AddMinutes(5)),
            "wrong issuer" => Sign(RestApiApp.SigningKey, "evil", "nova-api", DateTime.UtcNow.AddMinutes(5)),
            "wrong audience" => Sign(RestApiApp.SigningKey, "nova", "other-api", DateTime.UtcNow.AddMinutes(5)),
            "expired" => Sign(RestApiApp.SigningKey, "nova", "nova-api", DateTime.UtcNow.AddMinutes(-2)),
            _ => Sign(RestApiApp.SigningKey, "nova", "nova-api", null),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(token));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public async Task AnUnsignedTokenIsRefused(string algorithm)
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = algorithm, typ = "JWT" }));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = fixture.UserId,
            [NovaApiClaims.StampHash] = fixture.StampHash,
            ["iss"] = "nova",
            ["aud"] = "nova-api",
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync($"{header}.{payload}."));
    }

    [Fact]
    public async Task ATokenWithAnotherUsersIdButTheOriginalSignatureIsRefused()
    {
        var otherId = await fixture.App.RegisterAsync("other@example.com");
        var token = Sign(RestApiApp.SigningKey, "nova", "nova-api", DateTime.UtcNow.AddMinutes(5));
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement(otherId);
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}.{parts[2]}";

        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(forged));
    }

    private string Sign(string key, string issuer, string audience, DateTime? expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = fixture.UserId, [NovaApiClaims.StampHash] = fixture.StampHash },
        });

    private async Task<HttpStatusCode> CallWithAsync(string token)
    {
        using var client = fixture.App.Client(token);
        var response = await client.GetAsync("/api/v1/auth/me");
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
        return response.StatusCode;
    }

    /// <summary>One app with a user whose stamp hash the tests sign into their tokens; tests only read it.</summary>
    public abstract class Fixture(DatabaseProvider provider) : IAsyncLifetime
    {
        internal RestApiApp App { get; private set; } = null!;

        public string UserId { get; private set; } = "";

        public string StampHash { get; private set; } = "";

        public async Task InitializeAsync()
        {
            // Every test calls /auth/me, which shares the per-address limit of /auth.
            App = await RestApiApp.StartAsync(provider, ("Nova:RateLimits:AuthRequestsPerMinute", "1000"));
            UserId = await App.RegisterAsync("user@example.com");
            await using var scope = App.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaUser>>();
            StampHash = JwtTokenIssuer.HashStamp(await users.GetSecurityStampAsync((await users.FindByIdAsync(UserId))!));
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    public sealed class SqliteFixture() : Fixture(DatabaseProvider.Sqlite);

    public sealed class PostgresFixture() : Fixture(DatabaseProvider.Postgres);

    public sealed class OnSqlite(SqliteFixture fixture) : JwtTamperingTests(fixture), IClassFixture<SqliteFixture>;

    public sealed class OnPostgres(PostgresFixture fixture) : JwtTamperingTests(fixture), IClassFixture<PostgresFixture>;
}

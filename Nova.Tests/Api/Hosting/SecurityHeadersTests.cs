using System.Net;
using System.Text.RegularExpressions;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Hosting;

public sealed partial class SecurityHeadersTests
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/not-a-page")]
    [InlineData("/api/v1/models")]
    [InlineData("/health/live")]
    public async Task EveryResponseCarriesThePolicyAndTheOtherSecurityHeaders(string path)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("base-uri 'self'", policy);
        Assert.DoesNotContain("'unsafe-eval'", policy);
        Assert.DoesNotMatch("script-src[^;]*'unsafe-inline'", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task TheImportMapCarriesThisResponsesNonceAndEachResponseHasItsOwn()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient();

        var first = await NoncesAsync(client);
        var second = await NoncesAsync(client);

        Assert.Equal(first.InHeader, first.OnImportMap);
        Assert.Equal(second.InHeader, second.OnImportMap);
        Assert.NotEqual(first.InHeader, second.InHeader);
        Assert.Equal(16, Convert.FromHexString(first.InHeader).Length);
    }

    private static async Task<(string InHeader, string OnImportMap)> NoncesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var html = await response.Content.ReadAsStringAsync();
        var importMap = ImportMapTag().Match(html).Value;
        return (HeaderNonce().Match(policy).Groups[1].Value, NonceAttribute().Match(importMap).Groups[1].Value);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex HeaderNonce();

    [GeneratedRegex("<script[^>]*importmap[^>]*>")]
    private static partial Regex ImportMapTag();

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex NonceAttribute();
}

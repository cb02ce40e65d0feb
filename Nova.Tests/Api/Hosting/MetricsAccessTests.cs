using System.Net;
using Microsoft.AspNetCore.Http;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Hosting;

/// <summary>/metrics is for Prometheus on the internal network, never for anyone on the public port.</summary>
public sealed class MetricsAccessTests
{
    private const string Token = "scrape-token-0123456789abcdef";
    private static readonly IPAddress Outsider = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task MetricsAreServedInPrometheusFormatToLocalCallers()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient();
        await client.GetAsync("/health/live");

        var local = await ScrapeAsync(app, IPAddress.Loopback);
        var localV6 = await ScrapeAsync(app, IPAddress.IPv6Loopback);
        var mapped = await ScrapeAsync(app, IPAddress.Loopback.MapToIPv6());

        Assert.Equal(StatusCodes.Status200OK, local.Status);
        Assert.Contains("http_server_request_duration_seconds_bucket", local.Body);
        Assert.Contains("http_route=\"/health/live\"", local.Body);
        Assert.Equal(StatusCodes.Status200OK, localV6.Status);
        Assert.Equal(StatusCodes.Status200OK, mapped.Status);
    }

    [Fact]
    public async Task OutsidersProxiedCallersAndWrongTokensGetNothing()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database, [new("Nova:Metrics:Token", Token)]);

        var anonymous = await app.CreateClient().GetAsync("/metrics");
        var outsider = await ScrapeAsync(app, Outsider);
        var throughUntrustedProxy = await ScrapeAsync(app, IPAddress.Loopback, ("X-Forwarded-For", "203.0.113.7"));
        var throughForwarded = await ScrapeAsync(app, IPAddress.Loopback, ("Forwarded", "for=203.0.113.7"));
        var wrongToken = await ScrapeAsync(app, Outsider, ("Authorization", "Bearer " + Token[..^1]));
        var rightToken = await ScrapeAsync(app, Outsider, ("Authorization", "Bearer " + Token));

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, outsider.Status);
        Assert.Equal(StatusCodes.Status404NotFound, throughUntrustedProxy.Status);
        Assert.Equal(StatusCodes.Status404NotFound, throughForwarded.Status);
        Assert.Equal(StatusCodes.Status404NotFound, wrongToken.Status);
        Assert.DoesNotContain("process_runtime", wrongToken.Body + outsider.Body + throughUntrustedProxy.Body);
        Assert.Equal(StatusCodes.Status200OK, rightToken.Status);
        Assert.Contains("# TYPE", rightToken.Body);
    }

    [Fact]
    public async Task WithAManagementPortMetricsAnswerThereOnly()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database, [new("Nova:Metrics:Port", "9464")]);

        var onManagementPort = await ScrapeAsync(app, Outsider, localPort: 9464);
        var localOnAppPort = await ScrapeAsync(app, IPAddress.Loopback, localPort: 8080);

        Assert.Equal(StatusCodes.Status200OK, onManagementPort.Status);
        Assert.Contains("# TYPE", onManagementPort.Body);
        Assert.Equal(StatusCodes.Status404NotFound, localOnAppPort.Status);
    }

    [Theory]
    [InlineData("Nova:Metrics:AllowedNetworks:0", "10.0.0.0/33", "AllowedNetworks")]
    [InlineData("Nova:Metrics:Port", "70000", "Nova:Metrics:Port")]
    [InlineData("Nova:Metrics:Token", "short", "at least 16 characters")]
    public async Task BadMetricsSettingsStopNovaAtStartWithTheKey(string key, string value, string expected)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database, [new(key, value)]);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(expected, error.ToString());
    }

    private static async Task<(int Status, string Body)> ScrapeAsync(
        NovaAppFactory app, IPAddress caller, (string Name, string Value)? header = null, int localPort = 8080)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = caller;
            c.Connection.LocalPort = localPort;
            if (header is var (name, value))
            {
                c.Request.Headers[name] = value;
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }
}

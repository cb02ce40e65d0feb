using System.Net;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Hosting;

public sealed class HealthTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LiveAndReadyAnswerWhileTheDatabaseIsUp(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // No model server runs in this test: retrieval-only mode is a supported state, so Degraded, not Unhealthy.
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadyReportsUnhealthyWhenTheDatabaseGoesAway()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await PostgresServer.DropDatabaseAsync(database.ConnectionString);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task AnAnonymousVisitorIsSentToSignIn()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }
}

using Microsoft.AspNetCore.Hosting;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

public sealed class StartupTests
{
    [Fact]
    public async Task OutsideDevelopmentNovaDoesNotStartWithoutASigningKey()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new NovaAppFactory(database);
        await using var production = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient());

        Assert.Contains("'Nova:Jwt:SigningKey' is required", error.ToString());
    }
}

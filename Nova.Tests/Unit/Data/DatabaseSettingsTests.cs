using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;

namespace Nova.Tests.Unit.Data;

public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData("Mongo")]
    [InlineData("42")]
    public void AnUnknownProviderStopsTheAppWithAMessageNamingTheSetting(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Nova:Database:Provider", provider)));

        Assert.Contains("Nova:Database:Provider", error.Message);
        Assert.Contains("Sqlite, Postgres", error.Message);
    }

    [Fact]
    public void PostgresWithoutAConnectionStringStopsTheAppWithAMessageNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(("Nova:Database:Provider", "Postgres")));

        Assert.Contains("ConnectionStrings:Nova", error.Message);
    }

    [Theory]
    [InlineData("Sqlite", "Data Source=x.db;Nonsense Key=1")]
    [InlineData("Postgres", "Host=;Database=nova")]
    [InlineData("Postgres", "this is not a connection string")]
    public void AMalformedConnectionStringStopsTheAppWithAMessageNamingTheSetting(string provider, string connectionString)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Build(("Nova:Database:Provider", provider), ("ConnectionStrings:Nova", connectionString)));

        Assert.Contains("ConnectionStrings:Nova", error.Message);
    }

    [Fact]
    public void ARelativeSqlitePathLivesUnderTheContentRoot()
    {
        var connectionString = DataExtensions.SqliteConnectionString("Data Source=data/nova.db", "/srv/nova");

        Assert.Contains("/srv/nova/data/nova.db", connectionString);
    }

    [Fact]
    public void ProviderNamesAreCaseInsensitive()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Nova:Database:Provider", "postgres")]).Build();

        Assert.Equal(DatabaseProvider.Postgres, DataExtensions.ReadProvider(configuration));
    }

    private static void Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddNovaData();
    }
}

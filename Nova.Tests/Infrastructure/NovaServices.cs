using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.Tests.Infrastructure;

/// <summary>Nova's data and identity services on a test database, without the web host.</summary>
internal static class NovaServices
{
    /// <summary>A test-only setting: "true" makes Nova behave as if it listened on a non-loopback address.</summary>
    public const string ReachableFromNetwork = "Test:ReachableFromNetwork";

    public static IHost Build(TestDatabase database, params (string Key, string Value)[] settings) => Build(database, logs: null, settings);

    public static IHost Build(TestDatabase database, ILoggerProvider? logs, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(
            database.Settings.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.AddNovaData();
        builder.AddNovaIdentity();
        builder.Services.AddSingleton<INetworkExposure>(new TestNetworkExposure(settings.Contains((ReachableFromNetwork, "true"))));
        return builder.Build();
    }

    private sealed record TestNetworkExposure(bool IsReachableFromNetwork) : INetworkExposure;

    public static NovaDbContext CreateContext(this IHost host) =>
        host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<NovaDbContext>>().CreateDbContext();

    public static Task<IHost> StartAsync(TestDatabase database, params (string Key, string Value)[] settings) => StartAsync(database, logs: null, settings);

    /// <summary>Builds the services and brings the database to the current schema with roles seeded.</summary>
    public static async Task<IHost> StartAsync(TestDatabase database, ILoggerProvider? logs, params (string Key, string Value)[] settings)
    {
        var host = Build(database, logs, settings);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await host.Services.GetRequiredService<IdentitySeeder>().SeedAsync();
        return host;
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Hosting.Replicas;

namespace Nova.Services.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers <see cref="NovaDbContext"/> (scoped) and <see cref="IDbContextFactory{NovaDbContext}"/>
    /// (singleton) on the provider <c>Nova:Database:Provider</c> names. A bad setting stops the app
    /// at start with a message naming it.
    /// </summary>
    public static IHostApplicationBuilder AddNovaData(this IHostApplicationBuilder builder)
    {
        var provider = ReadProvider(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);

        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = SqliteConnectionString(connectionString, builder.Environment.ContentRootPath);
                Register<SqliteNovaDbContext>(builder.Services, o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmas()));
                break;
            case DatabaseProvider.Postgres:
                var postgres = PostgresConnectionString(connectionString);
                Register<PostgresNovaDbContext>(builder.Services, o => o.UseNpgsql(postgres));
                break;
        }

        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddNovaReplicas();
        builder.Services.AddHealthChecks().AddDbContextCheck<NovaDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Contexts come from a pool: a request or generation makes several, and a new one costs more than
    /// the query it runs. A scoped context is handed back to the pool when its scope ends.
    /// </summary>
    private static void Register<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : NovaDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddSingleton<IDbContextFactory<NovaDbContext>, NovaDbContextFactory<TContext>>();
        services.AddScoped<NovaDbContext>(sp => sp.GetRequiredService<TContext>());
    }

    internal static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var key = $"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }
        if (Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider))
        {
            return provider;
        }
        throw new InvalidOperationException(
            $"Setting '{key}' is '{value}'; it must be one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
    }

    internal static string SqliteConnectionString(string? configured, string contentRoot)
    {
        SqliteConnectionStringBuilder csb;
        try
        {
            csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=data/nova.db" : configured);
        }
        catch (ArgumentException e)
        {
            throw InvalidConnectionString(e.Message);
        }
        if (string.IsNullOrWhiteSpace(csb.DataSource))
        {
            throw InvalidConnectionString("it has no Data Source.");
        }
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
        }
        return csb.ConnectionString;
    }

    internal static string PostgresConnectionString(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw InvalidConnectionString("it is required when Nova:Database:Provider is Postgres.");
        }
        try
        {
            var csb = new Npgsql.NpgsqlConnectionStringBuilder(configured);
            if (string.IsNullOrWhiteSpace(csb.Host))
            {
                throw InvalidConnectionString("it has no Host.");
            }
            return csb.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw InvalidConnectionString(e.Message);
        }
    }

    private static InvalidOperationException InvalidConnectionString(string reason) =>
        new($"Setting 'ConnectionStrings:{DatabaseOptions.ConnectionStringName}' is invalid: {reason}");
}

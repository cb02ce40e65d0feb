using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Identity;

namespace Nova.Services.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened. Identity reads
// its store schema version from the application's services, so they get the app's options too.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNovaDbContext>
{
    public SqliteNovaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNovaDbContext>()
            .UseSqlite("Data Source=design.db")
            .UseApplicationServiceProvider(DesignTimeServices.Identity)
            .Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNovaDbContext>
{
    public PostgresNovaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNovaDbContext>()
            .UseNpgsql("Host=localhost;Database=design")
            .UseApplicationServiceProvider(DesignTimeServices.Identity)
            .Options);
}

internal static class DesignTimeServices
{
    public static readonly IServiceProvider Identity =
        new ServiceCollection().Configure<IdentityOptions>(IdentityExtensions.ConfigureIdentity).BuildServiceProvider();
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Nova.Services.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNovaDbContext>
{
    public SqliteNovaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNovaDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNovaDbContext>
{
    public PostgresNovaDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNovaDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

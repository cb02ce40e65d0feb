using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Nova.Services.Rag.Indexing;

namespace Nova.Services.Data;

/// <summary>
/// Identity plus Nova's own tables. Each provider has a derived context so that it can carry
/// its own migrations (<see cref="SqliteNovaDbContext"/>, <see cref="PostgresNovaDbContext"/>).
/// </summary>
public class NovaDbContext(DbContextOptions options) : IdentityDbContext<NovaUser>(options)
{
    public DbSet<FirstAdminClaim> FirstAdminClaims => Set<FirstAdminClaim>();

    public DbSet<SeededAdmin> SeededAdmins => Set<SeededAdmin>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(NovaDbContext).Assembly);
    }
}

public sealed class SqliteNovaDbContext(DbContextOptions<SqliteNovaDbContext> options) : NovaDbContext(options);

public sealed class PostgresNovaDbContext(DbContextOptions<PostgresNovaDbContext> options) : NovaDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        IndexChangeConfiguration.ConfigurePostgres(builder);
    }
}

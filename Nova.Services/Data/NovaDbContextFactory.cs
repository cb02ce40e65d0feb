using Microsoft.EntityFrameworkCore;

namespace Nova.Services.Data;

/// <summary>Hands out the provider's derived context wherever <see cref="NovaDbContext"/> is asked for.</summary>
internal sealed class NovaDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<NovaDbContext>
    where TContext : NovaDbContext
{
    public NovaDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<NovaDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}

using Microsoft.EntityFrameworkCore;
using Nova.Services.Data;

namespace Nova.Tests.Unit.Chat;

/// <summary>
/// Nova's context factory with a switch: while an outage lasts, asking for a context asynchronously (as the services
/// do) fails as an unreachable database would. The test's own synchronous reads still work.
/// </summary>
internal sealed class DatabaseOutage(IDbContextFactory<NovaDbContext> inner) : IDbContextFactory<NovaDbContext>
{
    private int _failuresLeft;

    /// <summary>The next <paramref name="count"/> asynchronous requests for a context fail.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public int FailuresLeft => Volatile.Read(ref _failuresLeft);

    public NovaDbContext CreateDbContext() => inner.CreateDbContext();

    public Task<NovaDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var left = Volatile.Read(ref _failuresLeft);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref _failuresLeft, left - 1, left);
            if (seen == left)
            {
                throw new InvalidOperationException("The database is unreachable (a scripted outage).");
            }
            left = seen;
        }
        return inner.CreateDbContextAsync(cancellationToken);
    }
}

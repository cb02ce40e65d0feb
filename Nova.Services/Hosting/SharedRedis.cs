using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Nova.Services.Hosting;

/// <summary>
/// Redis as the replicas share it (<c>Nova:Redis</c>): the connection, the names of Nova's keys and channels under
/// <c>Nova:RedisPrefix</c> (so deployments can share one Redis), and the rule for the hot path: what Redis does not
/// answer within <see cref="HotPathTimeout"/>, or while it is unreachable, this replica answers alone.
/// </summary>
public sealed class SharedRedis(IConnectionMultiplexer connection, string prefix, ILogger<SharedRedis> logger)
{
    /// <summary>A healthy Redis answers in about a millisecond; beyond this the answer is not worth the wait.</summary>
    public static readonly TimeSpan HotPathTimeout = TimeSpan.FromMilliseconds(250);

    public IConnectionMultiplexer Connection => connection;

    public bool IsConnected => connection.IsConnected;

    public string Key(string name) => prefix + name;

    public RedisChannel Channel(string name) => RedisChannel.Literal(prefix + name);

    /// <summary>
    /// The answer of <paramref name="shared"/> from Redis, or of <paramref name="local"/> while Redis is unreachable
    /// or slower than <see cref="HotPathTimeout"/>.
    /// </summary>
    public async ValueTask<T> OrLocalAsync<T>(string what, Func<CancellationToken, Task<T>> shared, Func<T> local,
        CancellationToken cancellationToken)
    {
        if (!connection.IsConnected)
        {
            return local();
        }
        try
        {
            return await shared(cancellationToken).WaitAsync(HotPathTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Redis did not answer for {What}; this replica's own count applies", what);
            return local();
        }
    }
}

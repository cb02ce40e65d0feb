using Microsoft.Extensions.Logging;
using Nova.Services.Hosting.Replicas;
using StackExchange.Redis;

namespace Nova.Services.Identity;

/// <summary>
/// Tells open circuits and API caches that a user's account changed (role, lock, deletion) so they revalidate at
/// once instead of at the next periodic check. With Redis (<c>Nova:Redis</c>) the news reaches every replica
/// through a pub/sub channel; publishing never waits on Redis, and without it only this process hears.
/// </summary>
public sealed class UserSessionSignals
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("nova:signals:account-changed");

    private readonly string _origin;
    private readonly IConnectionMultiplexer? _redis;
    private readonly ILogger<UserSessionSignals> _logger;

    public UserSessionSignals(ReplicaIdentity self, ILogger<UserSessionSignals> logger, IConnectionMultiplexer? redis = null)
    {
        _origin = self.Id.ToString("N");
        _redis = redis;
        _logger = logger;
        Subscribed = SubscribeAsync();
    }

    public event Action<string>? AccountChanged;

    /// <summary>Completes once other replicas' changes are heard (at once without Redis).</summary>
    public Task Subscribed { get; }

    public void Publish(string userId)
    {
        AccountChanged?.Invoke(userId);
        if (_redis is { IsConnected: true })
        {
            _redis.GetSubscriber().Publish(Channel, $"{_origin}:{userId}", CommandFlags.FireAndForget);
        }
    }

    private async Task SubscribeAsync()
    {
        if (_redis is null)
        {
            return;
        }
        try
        {
            // The multiplexer keeps the subscription across reconnects.
            await _redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnRelayed(message));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning(e, "Could not subscribe to account changes in Redis; other replicas' changes arrive at the next revalidation");
        }
    }

    private void OnRelayed(RedisValue message)
    {
        var text = (string?)message;
        var separator = text?.IndexOf(':') ?? -1;
        if (separator > 0 && text![..separator] != _origin)
        {
            AccountChanged?.Invoke(text[(separator + 1)..]);
        }
    }
}

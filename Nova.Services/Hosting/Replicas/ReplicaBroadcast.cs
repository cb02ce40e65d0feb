using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Nova.Services.Hosting.Replicas;

/// <summary>
/// News every replica must act on at once (an account changed, a key was revoked), through Redis pub/sub when
/// <c>Nova:Redis</c> is set. Publishing never waits on Redis; subscribers hear only the other replicas, since the
/// publisher acts on its own news itself. Without Redis (one process) nothing crosses.
/// </summary>
public sealed class ReplicaBroadcast(ReplicaIdentity self, ILogger<ReplicaBroadcast> logger, SharedRedis? redis = null)
{
    private readonly string _origin = self.Id.ToString("N");

    public void Publish(string channel, string message)
    {
        if (redis is { IsConnected: true })
        {
            redis.Connection.GetSubscriber().Publish(redis.Channel($"signals:{channel}"), $"{_origin}:{message}", CommandFlags.FireAndForget);
        }
    }

    /// <summary>Calls <paramref name="onMessage"/> with every message other replicas publish on the channel; the multiplexer keeps the subscription across reconnects.</summary>
    public async Task SubscribeAsync(string channel, Action<string> onMessage)
    {
        if (redis is null)
        {
            return;
        }
        try
        {
            await redis.Connection.GetSubscriber().SubscribeAsync(redis.Channel($"signals:{channel}"), (_, value) =>
            {
                var text = (string?)value;
                var separator = text?.IndexOf(':') ?? -1;
                if (separator > 0 && text![..separator] != _origin)
                {
                    onMessage(text[(separator + 1)..]);
                }
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not subscribe to {Channel} in Redis; other replicas' news arrives at the next periodic check", channel);
        }
    }
}

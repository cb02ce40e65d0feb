using Nova.Services.Hosting.Replicas;

namespace Nova.Services.Identity;

/// <summary>
/// Tells open circuits and API caches that a user's account changed (role, lock, deletion) so they revalidate at
/// once instead of at the next periodic check, on this replica and, through <see cref="ReplicaBroadcast"/>, on all.
/// </summary>
public sealed class UserSessionSignals
{
    private const string Channel = "account-changed";

    private readonly ReplicaBroadcast _broadcast;

    public UserSessionSignals(ReplicaBroadcast broadcast)
    {
        _broadcast = broadcast;
        Subscribed = broadcast.SubscribeAsync(Channel, userId => AccountChanged?.Invoke(userId));
    }

    public event Action<string>? AccountChanged;

    /// <summary>Completes once other replicas' changes are heard (at once without Redis).</summary>
    public Task Subscribed { get; }

    public void Publish(string userId)
    {
        AccountChanged?.Invoke(userId);
        _broadcast.Publish(Channel, userId);
    }
}

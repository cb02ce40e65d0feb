namespace Nova.Services.Identity;

/// <summary>
/// Tells open circuits that a user's account changed (role, lock, deletion) so they revalidate at
/// once instead of at the next periodic check.
/// </summary>
public sealed class UserSessionSignals
{
    public event Action<string>? AccountChanged;

    public void Publish(string userId) => AccountChanged?.Invoke(userId);
}

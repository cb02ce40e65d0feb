namespace Nova.Services.Identity.Preferences;

/// <summary>
/// A user's choices about how Nova looks and behaves, saved with their account so they follow them
/// to any browser.
/// </summary>
/// <param name="Theme">Light, dark or the system's.</param>
/// <param name="EffectsEnabled">Whether the animated background runs.</param>
/// <param name="DefaultModel">The model new chats start with; null for the server's default.</param>
/// <param name="EnterToSend">True: Enter sends and Shift+Enter breaks the line. False: Enter breaks the line and Ctrl+Enter sends.</param>
public sealed record UserPreferences(ThemePreference Theme, bool EffectsEnabled, string? DefaultModel, bool EnterToSend)
{
    /// <summary>What a user who never changed anything gets.</summary>
    public static UserPreferences Default { get; } = new(ThemePreference.System, EffectsEnabled: true, DefaultModel: null, EnterToSend: true);
}

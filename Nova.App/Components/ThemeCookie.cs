using Nova.Services.Identity.Preferences;

namespace Nova.App.Components;

/// <summary>
/// The browser's copy of the theme, for what renders before the user's preferences are known:
/// <c>&lt;html data-theme&gt;</c> in App.razor and the static pages of signed-out visitors.
/// <see cref="Settings.PreferencesState"/> keeps it in step with the account's theme.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "nova-theme";

    public static ThemePreference Read(string? value) =>
        Enum.TryParse<ThemePreference>(value, ignoreCase: true, out var theme) && Enum.IsDefined(theme) ? theme : ThemePreference.System;
}

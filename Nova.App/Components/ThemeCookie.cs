using Nova.Services.Identity.Preferences;

namespace Nova.App.Components;

/// <summary>
/// The browser's copy of the theme, read while the page is prerendered so that the first paint is
/// right; the account's copy (<see cref="Settings.PreferencesState"/>) takes over once the circuit runs.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "nova-theme";

    public static ThemePreference Read(string? value) =>
        Enum.TryParse<ThemePreference>(value, ignoreCase: true, out var theme) && Enum.IsDefined(theme) ? theme : ThemePreference.System;
}

namespace Nova.App.Components;

/// <summary>Light, dark, or whatever the system says; remembered in a cookie so the first paint is right.</summary>
public enum ThemePreference
{
    System,
    Light,
    Dark,
}

public static class ThemePreferences
{
    public const string CookieName = "nova-theme";

    public static ThemePreference FromCookie(string? value) =>
        Enum.TryParse<ThemePreference>(value, ignoreCase: true, out var theme) && Enum.IsDefined(theme) ? theme : ThemePreference.System;
}

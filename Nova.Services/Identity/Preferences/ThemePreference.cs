namespace Nova.Services.Identity.Preferences;

/// <summary>Light, dark, or whatever the system says.</summary>
public enum ThemePreference
{
    System,
    Light,
    Dark,
}

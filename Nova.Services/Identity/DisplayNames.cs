using Nova.Services.Data;
using Nova.Services.Text;

namespace Nova.Services.Identity;

/// <summary>The one rule for display names, shared by registration and the profile page.</summary>
public static class DisplayNames
{
    /// <summary>Trims the name; blank means "no display name". Returns an error for a name Nova refuses.</summary>
    public static string? Validate(string? displayName, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (normalized is null)
        {
            return null;
        }
        if (normalized.Length > NovaUser.MaxDisplayNameLength)
        {
            return $"The display name must be at most {NovaUser.MaxDisplayNameLength} characters.";
        }
        // Control and format characters (newlines, bidi overrides) let a name pose as someone else's in lists.
        if (PlainText.HasHidden(normalized))
        {
            return "The display name cannot contain control characters.";
        }
        return null;
    }
}

using Nova.Services.Data;
using Nova.Services.Rag.Model;

namespace Nova.App.Components.Pages.Admin.Documents;

/// <summary>Collection visibility as admins read it, and the choices the UI offers.</summary>
internal static class VisibilityText
{
    public static string Of(string visibility) => visibility == Collection.Everyone ? "everyone" : $"{visibility} role";

    /// <summary>Everyone, Nova's roles, and the current value when it names a role Nova does not define itself.</summary>
    public static IReadOnlyList<string> Choices(string? current) =>
        [Collection.Everyone, .. NovaRoles.All, .. current is null || current == Collection.Everyone || NovaRoles.All.Contains(current) ? [] : new[] { current }];
}

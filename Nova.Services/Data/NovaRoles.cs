namespace Nova.Services.Data;

/// <summary>The roles Nova knows. Every admin action checks <see cref="Admin"/> on the server.</summary>
public static class NovaRoles
{
    public const string Admin = "Admin";
    public const string User = "User";

    public static readonly IReadOnlyList<string> All = [Admin, User];
}

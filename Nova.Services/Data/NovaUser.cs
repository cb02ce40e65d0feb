using Microsoft.AspNetCore.Identity;

namespace Nova.Services.Data;

/// <summary>A person who signs in to Nova.</summary>
public sealed class NovaUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    public string? DisplayName { get; set; }

    /// <summary>Pending users registered while approval was required and wait for an admin.</summary>
    public UserApproval Approval { get; set; } = UserApproval.Approved;

    public DateTimeOffset CreatedAt { get; set; }
}

public enum UserApproval
{
    Approved = 0,
    Pending = 1,
}

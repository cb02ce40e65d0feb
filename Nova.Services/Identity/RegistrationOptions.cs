namespace Nova.Services.Identity;

public enum RegistrationMode
{
    /// <summary>Anyone may register and sign in at once.</summary>
    Open,

    /// <summary>New accounts wait as Pending until an admin approves them.</summary>
    ApprovalRequired,

    /// <summary>Nobody may register, except the very first account on an empty database.</summary>
    Closed,
}

/// <summary>Bound from <c>Nova:Registration</c>.</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Nova:Registration";

    public RegistrationMode Mode { get; set; } = RegistrationMode.Open;
}

/// <summary>Bound from <c>Nova:Admin</c>: an admin seeded at start (docker, tests).</summary>
public sealed class AdminSeedOptions
{
    public const string Section = "Nova:Admin";

    public string? Email { get; set; }

    public string? Password { get; set; }
}

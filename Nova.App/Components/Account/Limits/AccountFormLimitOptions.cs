namespace Nova.App.Components.Account.Limits;

/// <summary>Bound from <c>Nova:AccountLimits</c>: form posts per client address, whatever account they name.</summary>
public sealed class AccountFormLimitOptions
{
    public const string Section = "Nova:AccountLimits";

    /// <summary>Sign-in attempts (password, two-factor and recovery codes together) per address and minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Registrations per address and hour.</summary>
    public int RegistrationsPerHour { get; set; } = 5;
}

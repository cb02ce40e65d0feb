using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.Services.Identity;

public sealed record RegistrationResult(NovaUser? User, IReadOnlyList<string> Errors)
{
    public bool Succeeded => User is not null;

    public bool IsAdmin { get; init; }

    public bool RequiresApproval => User?.Approval == UserApproval.Pending;

    internal static RegistrationResult Failed(params string[] errors) => new(null, errors);
}

/// <summary>
/// Creates accounts under the registration mode. Only the email, password and display name of a
/// request are used, so a client cannot register itself into a role or past approval.
/// </summary>
public sealed class AccountRegistration(
    UserManager<NovaUser> users,
    NovaDbContext db,
    IOptions<RegistrationOptions> options,
    FirstAccountSetup setup,
    TimeProvider clock)
{
    public const string ClosedMessage = "Registration is closed. Ask an administrator for an account.";

    /// <summary>False when registration is closed and the first account already exists.</summary>
    public async Task<bool> AcceptsRegistrationsAsync() =>
        options.Value.Mode != RegistrationMode.Closed || !await db.FirstAdminClaims.AnyAsync();

    /// <summary>True until the first account (the first admin) exists.</summary>
    public async Task<bool> NeedsFirstAdminAsync() => !await db.FirstAdminClaims.AnyAsync();

    /// <summary>True while there is no admin and the first account must present the setup token.</summary>
    public async Task<bool> NeedsSetupTokenAsync() => setup.IsRequired && await NeedsFirstAdminAsync();

    /// <summary>Registers an account; <paramref name="setupToken"/> is needed only for the first one, when <see cref="NeedsSetupTokenAsync"/> says so.</summary>
    public async Task<RegistrationResult> RegisterAsync(string email, string password, string? displayName, string? setupToken = null)
    {
        if (DisplayNames.Validate(displayName, out var name) is { } invalidName)
        {
            return RegistrationResult.Failed(invalidName);
        }
        var mode = options.Value.Mode;
        if (!await AcceptsRegistrationsAsync())
        {
            return RegistrationResult.Failed(ClosedMessage);
        }
        // Checked before the first-admin race: a registration that finds no admin yet must hold the token to take part.
        if (await NeedsSetupTokenAsync() && !setup.Accepts(setupToken))
        {
            return RegistrationResult.Failed(FirstAccountSetup.RefusedMessage);
        }

        var user = new NovaUser
        {
            UserName = email,
            Email = email,
            DisplayName = name,
            CreatedAt = clock.GetUtcNow(),
            Approval = mode == RegistrationMode.ApprovalRequired ? UserApproval.Pending : UserApproval.Approved,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return RegistrationResult.Failed([.. created.Errors.Select(e => e.Description)]);
        }

        if (await FirstAdminElection.TryClaimAsync(db, user.Id, clock))
        {
            user.Approval = UserApproval.Approved;
            await users.UpdateAsync(user);
            await users.AddToRolesAsync(user, [NovaRoles.Admin, NovaRoles.User]);
            return new RegistrationResult(user, []) { IsAdmin = true };
        }
        if (mode == RegistrationMode.Closed)
        {
            // Lost the race for the first account on a closed instance.
            await users.DeleteAsync(user);
            return RegistrationResult.Failed(ClosedMessage);
        }
        await users.AddToRoleAsync(user, NovaRoles.User);
        return new RegistrationResult(user, []);
    }
}

using Microsoft.AspNetCore.Identity;
using Nova.Services.Data;

namespace Nova.Services.Identity;

public enum SignInOutcome
{
    SignedIn,
    RequiresTwoFactor,
    LockedOut,
    AwaitingApproval,

    /// <summary>Unknown email or wrong password: deliberately not told apart.</summary>
    Invalid,
}

/// <summary>What a password check found, with the account when the password was right.</summary>
public sealed record PasswordCheck(SignInOutcome Outcome, NovaUser? User);

/// <summary>
/// Password sign-in, the one rule for the login page and the token endpoint. Failures count towards
/// lockout, the attempt that locks says so, an unknown email and a wrong password look the same (same
/// answer, and a password hash is checked either way), and a pending account hears that it waits for
/// approval only once its password is proven.
/// </summary>
public sealed class AccountSignIn(SignInManager<NovaUser> signIn, IPasswordHasher<NovaUser> hasher)
{
    /// <summary>Longer credentials are refused unread, so nobody makes the server hash megabytes.</summary>
    public const int MaxCredentialLength = 1024;

    // A hash of a random password, verified for unknown emails so they take as long as known ones.
    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<NovaUser>().HashPassword(new NovaUser(), Guid.NewGuid().ToString("N")));

    /// <summary>The login page: signs in with the cookie, or says which step is missing.</summary>
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, bool rememberMe) =>
        (await CheckAsync(email, password, user => signIn.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true))).Outcome;

    /// <summary>
    /// The token endpoint: the same checks without a cookie. An account with two-factor authentication
    /// gets <see cref="SignInOutcome.RequiresTwoFactor"/>, as the page would send it to the second step.
    /// </summary>
    public async Task<PasswordCheck> CheckPasswordAsync(string email, string password)
    {
        var check = await CheckAsync(email, password, user => signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true));
        return check.Outcome == SignInOutcome.SignedIn && await signIn.UserManager.GetTwoFactorEnabledAsync(check.User!)
            ? check with { Outcome = SignInOutcome.RequiresTwoFactor }
            : check;
    }

    private async Task<PasswordCheck> CheckAsync(string email, string password, Func<NovaUser, Task<SignInResult>> attempt)
    {
        if (email.Length > MaxCredentialLength || password.Length > MaxCredentialLength)
        {
            return new(SignInOutcome.Invalid, null);
        }
        var users = signIn.UserManager;
        // The user name is the email (registration and email changes keep them equal), and unlike the email it is unique in the database.
        var user = await users.FindByNameAsync(email.Trim());
        if (user is null)
        {
            hasher.VerifyHashedPassword(new NovaUser(), UnknownUserHash.Value, password);
            return new(SignInOutcome.Invalid, null);
        }
        return new(await OutcomeAsync(user, password, await attempt(user)), user);
    }

    private async Task<SignInOutcome> OutcomeAsync(NovaUser user, string password, SignInResult result)
    {
        if (result.Succeeded)
        {
            return SignInOutcome.SignedIn;
        }
        if (result.RequiresTwoFactor)
        {
            return SignInOutcome.RequiresTwoFactor;
        }
        if (result.IsLockedOut)
        {
            return SignInOutcome.LockedOut;
        }
        if (!result.IsNotAllowed)
        {
            return SignInOutcome.Invalid;
        }
        // Identity refuses unapproved accounts before it looks at the password, so check and count it here:
        // otherwise anyone could learn that an email is pending, and guess its password without lockout.
        var users = signIn.UserManager;
        if (await users.IsLockedOutAsync(user))
        {
            return SignInOutcome.LockedOut;
        }
        if (await users.CheckPasswordAsync(user, password))
        {
            await users.ResetAccessFailedCountAsync(user);
            return SignInOutcome.AwaitingApproval;
        }
        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user) ? SignInOutcome.LockedOut : SignInOutcome.Invalid;
    }
}

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

/// <summary>
/// Password sign-in for the login page. Failures count towards lockout, an unknown email and a wrong
/// password look the same (same answer, and a password hash is checked either way), and a pending
/// account hears that it waits for approval only once its password is proven.
/// </summary>
public sealed class AccountSignIn(SignInManager<NovaUser> signIn, IPasswordHasher<NovaUser> hasher)
{
    // A hash of a random password, verified for unknown emails so they take as long as known ones.
    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<NovaUser>().HashPassword(new NovaUser(), Guid.NewGuid().ToString("N")));

    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, bool rememberMe)
    {
        var users = signIn.UserManager;
        var user = await users.FindByNameAsync(email);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new NovaUser(), UnknownUserHash.Value, password);
            return SignInOutcome.Invalid;
        }

        var result = await signIn.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
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
        if (result.IsNotAllowed)
        {
            // Identity refuses unapproved accounts before it looks at the password, so check and count it here:
            // otherwise anyone could learn that an email is pending, and guess its password without lockout.
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
        return SignInOutcome.Invalid;
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Nova.Services.Data;
using Nova.Services.Identity.ApiKeys;

namespace Nova.Services.Identity;

/// <summary>
/// Changes a signed-in user makes to their own account. Only the fields named here change: roles,
/// approval and lockout are the admin's (see <see cref="UserAdministration"/>).
/// </summary>
public sealed class AccountProfile(UserManager<NovaUser> users, UserSessionSignals signals, ApiKeyService keys)
{
    public async Task<IdentityResult> SetDisplayNameAsync(NovaUser user, string? displayName)
    {
        if (DisplayNames.Validate(displayName, out var name) is { } error)
        {
            return Failed(error);
        }
        if (user.DisplayName == name)
        {
            return IdentityResult.Success;
        }
        user.DisplayName = name;
        return await users.UpdateAsync(user);
    }

    /// <summary>
    /// Nova has no mail server to send a confirmation link, so the current password proves the change
    /// instead. The email is also the user name people sign in with, so both change together, in one save.
    /// </summary>
    public async Task<IdentityResult> ChangeEmailAsync(NovaUser user, string newEmail, string currentPassword)
    {
        newEmail = newEmail.Trim();
        if (!new EmailAddressAttribute().IsValid(newEmail))
        {
            return Failed("Enter a valid email address.");
        }
        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            return Failed("The password is incorrect.");
        }
        if (string.Equals(user.Email, newEmail, StringComparison.Ordinal))
        {
            return IdentityResult.Success;
        }
        var (oldEmail, oldUserName) = (user.Email, user.UserName);
        user.Email = newEmail;
        user.UserName = newEmail;
        // Renewing the stamp ends sessions elsewhere that still carry the old email; it also validates and saves.
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            (user.Email, user.UserName) = (oldEmail, oldUserName);
        }
        return result;
    }

    /// <summary>
    /// Changes the password and revokes all the user's API keys in the same call: whoever learnt the old
    /// password may have made keys with it, and a key does not ask for the password again.
    /// </summary>
    public async Task<IdentityResult> ChangePasswordAsync(NovaUser user, string currentPassword, string newPassword)
    {
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Succeeded)
        {
            await keys.RevokeAllAsync(user.Id);
        }
        return result;
    }

    /// <summary>Deletes the account after its password is proven; the last admin cannot leave the instance without one.</summary>
    public async Task<IdentityResult> DeleteAsync(NovaUser user, string password)
    {
        if (!await users.CheckPasswordAsync(user, password))
        {
            return Failed("The password is incorrect.");
        }
        if (await users.IsInRoleAsync(user, NovaRoles.Admin) && (await users.GetUsersInRoleAsync(NovaRoles.Admin)).Count == 1)
        {
            return Failed("You are the only administrator. Make someone else an administrator before you delete your account.");
        }
        var result = await users.DeleteAsync(user);
        if (result.Succeeded)
        {
            signals.Publish(user.Id);
        }
        return result;
    }

    private static IdentityResult Failed(string description) => IdentityResult.Failed(new IdentityError { Description = description });
}

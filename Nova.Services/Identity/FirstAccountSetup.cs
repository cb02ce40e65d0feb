using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Nova.Services.Identity;

/// <summary>Whether other machines can reach Nova; the web app answers from the addresses it listens on.</summary>
public interface INetworkExposure
{
    bool IsReachableFromNetwork { get; }
}

/// <summary>
/// The one-time setup token that the first account must present when Nova is reachable from the
/// network and no admin is seeded: otherwise whoever reaches a fresh instance first becomes its admin.
/// On loopback only the person at the machine can register, so it stays one click. The token is logged at start
/// (see docs/decisions/0005-first-admin-setup-token.md). It is sealed with the data-protection key ring, so each
/// replica logs a token of its own and every replica sharing the key ring accepts any of them: the Register form
/// may be posted to another replica than the one whose log the operator read.
/// </summary>
public sealed class FirstAccountSetup(INetworkExposure exposure, IOptions<AdminSeedOptions> adminSeed, IDataProtectionProvider protection)
{
    public const string RefusedMessage =
        "Creating the first account needs the setup token that Nova wrote to its log at start. Enter it in the Setup token field.";

    private const string Payload = "nova-first-account";

    private readonly IDataProtector _protector = protection.CreateProtector("Nova.FirstAccountSetup");

    public string Token => field ??= _protector.Protect(Payload);

    /// <summary>Whether the first account must present <see cref="Token"/> (asked only while there is no admin yet).</summary>
    public bool IsRequired => string.IsNullOrWhiteSpace(adminSeed.Value.Email) && exposure.IsReachableFromNetwork;

    public bool Accepts(string? presented)
    {
        if (string.IsNullOrWhiteSpace(presented))
        {
            return false;
        }
        try
        {
            return _protector.Unprotect(presented.Trim()) == Payload;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}

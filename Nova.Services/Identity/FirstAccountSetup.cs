using System.Security.Cryptography;
using System.Text;
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
/// On loopback only the person at the machine can register, so it stays one click. The token lives in
/// this process only and is logged at start (see docs/decisions/0005-first-admin-setup-token.md).
/// </summary>
public sealed class FirstAccountSetup(INetworkExposure exposure, IOptions<AdminSeedOptions> adminSeed)
{
    public const string RefusedMessage =
        "Creating the first account needs the setup token that Nova wrote to its log at start. Enter it in the Setup token field.";

    public string Token { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>Whether the first account must present <see cref="Token"/> (asked only while there is no admin yet).</summary>
    public bool IsRequired => string.IsNullOrWhiteSpace(adminSeed.Value.Email) && exposure.IsReachableFromNetwork;

    public bool Accepts(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.Trim()), Encoding.UTF8.GetBytes(Token));
}

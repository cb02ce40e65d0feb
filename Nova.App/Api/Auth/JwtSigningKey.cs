using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Nova.App.Api.Auth;

/// <summary>
/// The key that signs and verifies API tokens. Without <c>Nova:Jwt:SigningKey</c> (allowed in
/// Development only) it is random per process, so tokens die with the process.
/// </summary>
internal sealed class JwtSigningKey
{
    public JwtSigningKey(IOptions<JwtOptions> options, ILogger<JwtSigningKey> logger)
    {
        var configured = options.Value.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            logger.LogWarning("Setting '{Setting}' is not set: API tokens are signed with a random key and stop working when Nova restarts.",
                $"{JwtOptions.Section}:SigningKey");
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64));
        }
        else
        {
            Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
        }
    }

    public SymmetricSecurityKey Key { get; }
}

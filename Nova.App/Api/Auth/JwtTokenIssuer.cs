using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Nova.App.Api.Auth;

public sealed record IssuedToken(string AccessToken, TimeSpan Lifetime);

/// <summary>
/// Issues API access tokens. A token names the user and carries a hash of their security stamp;
/// roles are not in it, they are read from the database on every request.
/// </summary>
internal sealed class JwtTokenIssuer(JwtSigningKey signingKey, IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public IssuedToken Issue(string userId, string securityStamp)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [NovaApiClaims.StampHash] = HashStamp(securityStamp),
            },
        });
        return new IssuedToken(token, settings.Lifetime);
    }

    /// <summary>
    /// Identity derives email and phone one-time codes from the stamp, and a JWT's payload is
    /// readable by whoever holds it, so only a hash of the stamp goes into the token.
    /// </summary>
    public static string HashStamp(string securityStamp) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp)));
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nova.Services.Identity.ApiKeys;

namespace Nova.App.Api.Auth;

/// <summary>
/// Validates Nova's own tokens (HS256, issuer, audience, lifetime), then checks the user against
/// the database and replaces the token's claims with the user's current roles.
/// </summary>
internal sealed class JwtBearerSetup(JwtSigningKey signingKey, IOptions<JwtOptions> options)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name != NovaApiSchemes.Jwt)
        {
            return;
        }
        var settings = options.Value;
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = signingKey.Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        bearer.Events = new JwtBearerEvents
        {
            OnMessageReceived = SkipApiKeys,
            OnTokenValidated = CheckUserAsync,
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    /// <summary>API keys travel in the same header; they are the API key scheme's business.</summary>
    private static Task SkipApiKeys(MessageReceivedContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || authorization.StartsWith("Bearer " + ApiKeyFormat.Marker, StringComparison.OrdinalIgnoreCase))
        {
            context.NoResult();
        }
        return Task.CompletedTask;
    }

    private static async Task CheckUserAsync(TokenValidatedContext context)
    {
        var userId = context.Principal?.FindFirstValue(JwtRegisteredClaimNames.Sub);
        var stampHash = context.Principal?.FindFirstValue(NovaApiClaims.StampHash);
        if (userId is null || stampHash is null)
        {
            context.Fail("The token does not name a user.");
            return;
        }
        var services = context.HttpContext.RequestServices;
        var user = await services.GetRequiredService<ApiUserDirectory>().FindAsync(userId, context.HttpContext.RequestAborted);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (user is null || !user.CanSignIn(now) || !SameStamp(user.SecurityStamp, stampHash))
        {
            context.Fail("The token's user no longer exists, cannot sign in, or has changed since the token was issued.");
            return;
        }
        context.Principal = ApiUserDirectory.CreatePrincipal(user, NovaApiSchemes.Jwt,
            [new Claim(NovaApiClaims.Method, NovaApiClaims.Password)]);
    }

    private static bool SameStamp(string currentStamp, string stampHashInToken) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(JwtTokenIssuer.HashStamp(currentStamp)),
            Encoding.UTF8.GetBytes(stampHashInToken));
}

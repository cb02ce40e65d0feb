using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Nova.Services.Identity.ApiKeys;

namespace Nova.App.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer nova_…</c> or <c>X-Api-Key: nova_…</c>. The owner is
/// checked on every request, so a locked or deleted user's keys stop working at once.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    ApiUserDirectory users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var match = await keys.FindAsync(presented, Context.RequestAborted);
        if (match is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var user = await users.FindAsync(match.UserId, Context.RequestAborted);
        if (user is null || !user.CanSignIn(TimeProvider.GetUtcNow()))
        {
            return AuthenticateResult.Fail("The API key's owner cannot sign in.");
        }
        var principal = ApiUserDirectory.CreatePrincipal(user, Scheme.Name,
        [
            new Claim(NovaApiClaims.Method, NovaApiClaims.ApiKey),
            new Claim(NovaApiClaims.ApiKeyId, match.KeyId.ToString()),
        ]);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header))
        {
            return header.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer + ApiKeyFormat.Marker, StringComparison.OrdinalIgnoreCase)
            ? authorization[bearer.Length..].Trim()
            : null;
    }
}

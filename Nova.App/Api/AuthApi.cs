using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Nova.App.Api.Auth;
using Nova.App.Api.Limits;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Identity.ApiKeys;

namespace Nova.App.Api;

/// <summary>/api/v1/auth: access tokens for a password, and personal API keys.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth").RequireAuthRateLimit();

        auth.MapPost("/token", IssueTokenAsync)
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Exchange an email and password for an access token")
            .WithDescription("Failed attempts count towards the account's lockout, as on the sign-in page. Accounts with two-factor authentication use API keys instead.");

        auth.MapGet("/me", GetCurrentUser)
            .WithName("GetCurrentUser")
            .WithSummary("Who the token or key belongs to, with the roles the account has now");

        auth.MapGet("/keys", ListKeysAsync)
            .WithName("ListApiKeys")
            .WithSummary("List your API keys (never the keys themselves)");

        auth.MapPost("/keys", CreateKeyAsync)
            .RequireAuthorization(NovaApiPolicies.PasswordSignIn)
            .WithName("CreateApiKey")
            .WithSummary("Create a personal API key")
            .WithDescription("The key is in this response only. It needs an access token: an API key cannot create keys, so a leaked key cannot outlive its revocation.");

        auth.MapDelete("/keys/{id:guid}", RevokeKeyAsync)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke one of your API keys");

        return api;
    }

    /// <summary>The sign-in page's rule (<see cref="AccountSignIn"/>), answered as problem details.</summary>
    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request,
        AccountSignIn signIn,
        UserManager<NovaUser> users,
        JwtTokenIssuer issuer,
        HttpContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return Problem(StatusCodes.Status400BadRequest, "Both email and password are required.");
        }
        var check = await signIn.CheckPasswordAsync(request.Email, request.Password);
        switch (check.Outcome)
        {
            case SignInOutcome.SignedIn:
                var token = issuer.Issue(check.User!.Id, await users.GetSecurityStampAsync(check.User));
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new AccessTokenResponse(token.AccessToken, "Bearer", (int)token.Lifetime.TotalSeconds));
            case SignInOutcome.RequiresTwoFactor:
                return Problem(StatusCodes.Status403Forbidden,
                    "This account uses two-factor authentication, which a token request cannot complete. Create an API key in Settings instead.");
            case SignInOutcome.LockedOut:
                return Problem(StatusCodes.Status401Unauthorized, "This account is locked. Try again later or ask an administrator.");
            case SignInOutcome.AwaitingApproval:
                return Problem(StatusCodes.Status403Forbidden, "This account is waiting for an administrator's approval.");
            default:
                return Problem(StatusCodes.Status401Unauthorized, "Invalid email or password.");
        }
    }

    private static Ok<CurrentUserResponse> GetCurrentUser(ClaimsPrincipal user) =>
        TypedResults.Ok(new CurrentUserResponse(
            UserId(user),
            user.Identity?.Name ?? "",
            [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
            user.FindFirstValue(NovaApiClaims.Method) ?? ""));

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListKeysAsync(ClaimsPrincipal user, ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(UserId(user), cancellationToken));

    private static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateKeyAsync(
        CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyService keys, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var created = await keys.CreateAsync(UserId(user), request.Name, cancellationToken);
            context.Response.Headers.CacheControl = "no-store";
            var info = created.Info;
            return TypedResults.Created((string?)null, new CreatedApiKeyResponse(info.Id, info.Name, info.Prefix, info.CreatedAt, created.Key));
        }
        catch (ApiKeyException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(
        Guid id, ClaimsPrincipal user, ApiKeyService keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(UserId(user), id, cancellationToken)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "You have no API key with that id.");

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An API endpoint ran without an authenticated user.");

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}

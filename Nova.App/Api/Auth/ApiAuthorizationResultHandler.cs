using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Nova.App.Api.Errors;

namespace Nova.App.Api.Auth;

/// <summary>
/// Gives REST endpoints a problem-details body for 401 and 403. Authorization runs before the
/// API's status-code pages, so without this a refusal would be an empty response.
/// </summary>
internal sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (!(authorizeResult.Challenged || authorizeResult.Forbidden)
            || context.Response.HasStarted
            || context.GetEndpoint()?.Metadata.GetMetadata<NovaApiEndpoint>() is null)
        {
            return;
        }
        await (authorizeResult.Challenged
            ? ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
                "Send a valid access token or API key in the Authorization header: 'Bearer <token>'.")
            : ApiErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Your account is not allowed to do this."));
    }
}

/// <summary>Marks endpoints of the REST API, which answer with problem details rather than pages.</summary>
public sealed class NovaApiEndpoint
{
    public static readonly NovaApiEndpoint Instance = new();

    private NovaApiEndpoint()
    {
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Nova.App.Api.Auth;
using Nova.Services.Identity;

namespace Nova.App.Api;

/// <summary>/api/v1/admin: administration for callers whose account is an admin now.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Admin").RequireAuthorization(NovaApiPolicies.Admin);

        admin.MapGet("/users", ListUsersAsync)
            .WithName("ListUsers")
            .WithSummary("List users, pending approvals first")
            .WithDescription($"Paged (page from 0, pageSize up to {UserAdministration.MaxPageSize}); search matches email or display name.");

        return api;
    }

    private static async Task<Ok<UserPage>> ListUsersAsync(
        UserAdministration administration, CancellationToken cancellationToken, string? search = null, int page = 0, int pageSize = 25) =>
        TypedResults.Ok(await administration.ListAsync(search, page, pageSize, cancellationToken));
}

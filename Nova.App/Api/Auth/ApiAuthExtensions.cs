using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Nova.Services.Data;

namespace Nova.App.Api.Auth;

internal static class ApiAuthExtensions
{
    /// <summary>JWT and API-key schemes for the REST API, and the policies that accept only those.</summary>
    public static IHostApplicationBuilder AddNovaApiAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        builder.Services.AddSingleton<JwtSigningKey>();
        builder.Services.AddSingleton<JwtTokenIssuer>();
        builder.Services.AddSingleton<ApiUserDirectory>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>();

        builder.Services.AddAuthentication()
            .AddJwtBearer(NovaApiSchemes.Jwt)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(NovaApiSchemes.ApiKey, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(NovaApiPolicies.User, policy => ApiUser(policy))
            .AddPolicy(NovaApiPolicies.Admin, policy => ApiUser(policy).RequireRole(NovaRoles.Admin))
            .AddPolicy(NovaApiPolicies.PasswordSignIn, policy => ApiUser(policy).RequireClaim(NovaApiClaims.Method, NovaApiClaims.Password));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        return builder;
    }

    private static AuthorizationPolicyBuilder ApiUser(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(NovaApiSchemes.All).RequireAuthenticatedUser();
}

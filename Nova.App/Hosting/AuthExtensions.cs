using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Nova.App.Components.Account;
using Nova.Services.Data;

namespace Nova.App.Hosting;

internal static class AuthExtensions
{
    /// <summary>Cookie sign-in for the UI, revalidated on every request and pushed to open circuits.</summary>
    public static IHostApplicationBuilder AddNovaAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(options => options.LoginPath = "/Account/Login");
        // A lock, demotion or deletion must end the cookie at once, not after the default 30 minutes.
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(NovaRoles.Admin, policy => policy.RequireRole(NovaRoles.Admin));
        return builder;
    }
}

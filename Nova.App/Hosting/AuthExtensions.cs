using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Nova.App.Components.Account;
using Nova.App.Components.Account.Limits;
using Nova.Services.Data;
using Nova.Services.Identity;

namespace Nova.App.Hosting;

internal static class AuthExtensions
{
    /// <summary>Cookie sign-in for the UI, revalidated on every request and pushed to open circuits; per-address limits on account forms.</summary>
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
        builder.Services.AddOptions<AccountFormLimitOptions>().BindConfiguration(AccountFormLimitOptions.Section)
            .Validate(o => o.SignInAttemptsPerMinute > 0, $"Setting '{AccountFormLimitOptions.Section}:SignInAttemptsPerMinute' must be positive.")
            .Validate(o => o.RegistrationsPerHour > 0, $"Setting '{AccountFormLimitOptions.Section}:RegistrationsPerHour' must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AccountFormLimiter>();
        builder.Services.AddSingleton<INetworkExposure, ServerNetworkExposure>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(NovaRoles.Admin, policy => policy.RequireRole(NovaRoles.Admin));
        return builder;
    }
}

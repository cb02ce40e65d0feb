using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Hosting.Replicas;
using Nova.Services.Identity.ApiKeys;
using Nova.Services.Identity.Preferences;

namespace Nova.Services.Identity;

public static class IdentityExtensions
{
    /// <summary>Identity on <see cref="NovaDbContext"/> with roles, lockout, approval and the account services.</summary>
    public static IHostApplicationBuilder AddNovaIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<AdminSeedOptions>().BindConfiguration(AdminSeedOptions.Section);
        // Identity tokens need data protection; AddNovaSharedState decides where its keys live.
        builder.Services.AddDataProtection();
        builder.Services.AddIdentityCore<NovaUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<NovaDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddScoped<IUserConfirmation<NovaUser>, ApprovalConfirmation>();
        builder.Services.TryAddSingleton<ReplicaIdentity>();
        builder.Services.TryAddSingleton<ReplicaBroadcast>();
        builder.Services.AddSingleton<UserSessionSignals>();
        builder.Services.AddSingleton<IdentitySeeder>();
        builder.Services.AddScoped<AccountRegistration>();
        // INetworkExposure comes from the host: the web app reads the addresses it listens on.
        builder.Services.AddSingleton<FirstAccountSetup>();
        builder.Services.AddScoped<AccountSignIn>();
        builder.Services.AddScoped<AccountProfile>();
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.TryAddSingleton<UserAccess>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ApiKeyService>();
        builder.Services.AddSingleton<UserPreferenceService>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Shared with the design-time context factories: the store schema version shapes the EF model.</summary>
    internal static void ConfigureIdentity(IdentityOptions options)
    {
        options.SignIn.RequireConfirmedAccount = true;
        options.User.RequireUniqueEmail = true;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
    }
}

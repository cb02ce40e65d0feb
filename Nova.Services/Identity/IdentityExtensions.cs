using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;

namespace Nova.Services.Identity;

public static class IdentityExtensions
{
    /// <summary>Identity on <see cref="NovaDbContext"/> with roles, lockout, approval and the account services.</summary>
    public static IHostApplicationBuilder AddNovaIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<AdminSeedOptions>().BindConfiguration(AdminSeedOptions.Section);
        builder.Services.AddIdentityCore<NovaUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<NovaDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddScoped<IUserConfirmation<NovaUser>, ApprovalConfirmation>();
        builder.Services.AddSingleton<UserSessionSignals>();
        builder.Services.AddSingleton<IdentitySeeder>();
        builder.Services.AddScoped<AccountRegistration>();
        builder.Services.AddScoped<AccountSignIn>();
        builder.Services.AddScoped<AccountProfile>();
        builder.Services.AddScoped<UserAdministration>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}

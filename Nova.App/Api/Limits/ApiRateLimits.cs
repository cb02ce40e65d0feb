using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;
using Nova.Services.RateLimiting;

namespace Nova.App.Api.Limits;

/// <summary>Rate-limiting policy names for REST endpoints (<c>RequireRateLimiting(NovaRateLimits.Chat)</c>).</summary>
public static class NovaRateLimits
{
    /// <summary>Per user, the same bucket the chat page draws from (<see cref="IChatRateLimiter"/>).</summary>
    public const string Chat = "nova-chat";

    /// <summary>Per client address, a fixed window over /api/v1/auth/*.</summary>
    public const string Auth = "nova-auth";
}

internal static class ApiRateLimits
{
    public static IHostApplicationBuilder AddNovaApiRateLimits(this IHostApplicationBuilder builder)
    {
        builder.AddNovaRateLimits();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<IConfigureOptions<RateLimiterOptions>, RateLimiterSetup>();
        return builder;
    }

    private sealed class RateLimiterSetup(IChatRateLimiter chat, IOptions<RateLimitOptions> limits) : IConfigureOptions<RateLimiterOptions>
    {
        public void Configure(RateLimiterOptions options)
        {
            var perAddress = new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.Value.AuthRequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            };
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.AddPolicy(NovaRateLimits.Auth, context => RateLimitPartition.GetFixedWindowLimiter(ClientAddress.PartitionKey(context), _ => perAddress));
            options.AddPolicy(NovaRateLimits.Chat, context =>
            {
                var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
                // Chat endpoints require a user; should one ever be anonymous, it is held to the per-address window.
                return userId is null
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientAddress.PartitionKey(context), _ => perAddress)
                    : RateLimitPartition.Get("user:" + userId, _ => chat.ForUser(userId));
            });
        }

        private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
        {
            var context = rejected.HttpContext;
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                $"Too many requests. Try again in {seconds} second{(seconds == 1 ? "" : "s")}.");
        }
    }
}

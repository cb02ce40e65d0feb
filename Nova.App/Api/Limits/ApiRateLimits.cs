using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;
using Nova.Services.RateLimiting;

namespace Nova.App.Api.Limits;

/// <summary>
/// Rate-limiting policy names for REST endpoints (<c>RequireRateLimiting(NovaRateLimits.Auth)</c>). Chat requests
/// are limited where every turn starts, in <see cref="Nova.Services.Chat.ChatService"/>, so the chat page and the
/// API draw from one allowance per user.
/// </summary>
public static class NovaRateLimits
{
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

    private sealed class RateLimiterSetup(IOptions<RateLimitOptions> limits) : IConfigureOptions<RateLimiterOptions>
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

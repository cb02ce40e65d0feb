using System.Globalization;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;
using Nova.Services.Hosting;
using Nova.Services.RateLimiting;

namespace Nova.App.Api.Limits;

internal static class ApiRateLimits
{
    public static IHostApplicationBuilder AddNovaApiRateLimits(this IHostApplicationBuilder builder)
    {
        builder.AddNovaRateLimits();
        builder.Services.AddSingleton<AuthRateLimit>();
        return builder;
    }

    /// <summary>
    /// Limits the endpoints to /api/v1/auth/* per client address (<c>Nova:RateLimits:AuthRequestsPerMinute</c>), across
    /// the replicas when Redis is configured. Chat requests are limited where every turn starts, in
    /// <see cref="Nova.Services.Chat.ChatService"/>, so the chat page and the API draw from one allowance per user.
    /// </summary>
    public static RouteGroupBuilder RequireAuthRateLimit(this RouteGroupBuilder group) =>
        // One limiter for the whole group: AddEndpointFilter<T> would make one per endpoint.
        group.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<AuthRateLimit>().InvokeAsync(context, next));

    private sealed class AuthRateLimit(IOptions<RateLimitOptions> options, SharedRedis? redis = null) : IEndpointFilter, IDisposable
    {
        private readonly SharedRateLimiter _perAddress =
            SharedRateLimiter.FixedWindow("auth", options.Value.AuthRequestsPerMinute, TimeSpan.FromMinutes(1), redis);

        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            var result = await _perAddress.TryAcquireAsync(ClientAddress.PartitionKey(http), http.RequestAborted);
            if (result.Allowed)
            {
                return await next(context);
            }
            var seconds = ClientAddress.RetryAfterSeconds(result);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ApiErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                $"Too many requests. {ClientAddress.TryAgainIn(seconds)}");
            return Results.Empty;
        }

        public void Dispose() => _perAddress.Dispose();
    }
}

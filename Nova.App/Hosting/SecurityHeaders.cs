using System.Security.Cryptography;

namespace Nova.App.Hosting;

/// <summary>
/// Content-Security-Policy and the other security headers on every response. Scripts come from
/// Nova's own origin only, plus the one inline script Blazor writes (the import map), which carries
/// this request's nonce; nothing compiles code at run time, so neither <c>'unsafe-eval'</c> nor
/// <c>'wasm-unsafe-eval'</c> is allowed. Styles allow inline because MudBlazor sets style
/// attributes and writes its theme as a style element; a style cannot run script.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "Nova.CspNonce";

    // dotnet watch tells the app where its browser-refresh socket listens; only then may the page connect there.
    private const string HotReloadEndpointVariable = "ASPNETCORE_AUTO_RELOAD_WS_ENDPOINT";

    /// <summary>This request's script nonce, for the inline scripts Nova itself renders.</summary>
    public static string NonceOf(HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("The security headers middleware did not run for this request.");

    /// <summary>
    /// Runs first in the pipeline (a startup filter), before the authorization and routing middleware
    /// that <see cref="WebApplication"/> adds itself: a 401 written there gets the headers too.
    /// </summary>
    public static IHostApplicationBuilder AddNovaSecurityHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<IStartupFilter, HeadersFirst>();
        return builder;
    }

    private static void Use(IApplicationBuilder app)
    {
        var extraConnect = Environment.GetEnvironmentVariable(HotReloadEndpointVariable) is { Length: > 0 } endpoint
            ? " " + string.Join(' ', endpoint.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : "";
        app.Use((context, next) =>
        {
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = Policy(nonce, extraConnect);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    private static string Policy(string nonce, string extraConnect) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        $"connect-src 'self'{extraConnect}; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    private sealed class HeadersFirst : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            Use(app);
            next(app);
        };
    }
}

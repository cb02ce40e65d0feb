using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Nova.App.Api.Auth;
using Nova.App.Api.Documents;
using Nova.App.Api.Errors;
using Nova.App.Api.Limits;
using Nova.App.Api.OpenAi;
using Scalar.AspNetCore;

namespace Nova.App.Api;

/// <summary>Nova's REST API under /api/v1, its OpenAPI document and the reference page at /api/docs.</summary>
public static class ApiExtensions
{
    public const string DocumentName = "v1";
    public const string OpenApiRoute = "/api/openapi/{documentName}.json";
    public const string DocsRoute = "/api/docs";

    /// <summary>
    /// Authentication (JWT, API keys), rate limits, request limits, problem details and OpenAPI,
    /// with settings from <c>Nova:Jwt</c>, <c>Nova:RateLimits</c>, <c>Nova:Api</c> and
    /// <c>Nova:ForwardedHeaders</c>.
    /// </summary>
    public static IHostApplicationBuilder AddNovaApi(this IHostApplicationBuilder builder)
    {
        builder.AddNovaApiAuth();
        builder.AddNovaApiRateLimits();
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, $"Setting '{ApiOptions.Section}:MaxBodyBytes' must be a positive number of bytes.")
            .Validate(o => o.MaxUploadFiles is > 0 and <= 1000, $"Setting '{ApiOptions.Section}:MaxUploadFiles' must be between 1 and 1000.")
            .Validate(o => o.CompletionRetryWindow >= TimeSpan.Zero && o.CompletionRetryWindow <= TimeSpan.FromDays(1),
                $"Setting '{ApiOptions.Section}:CompletionRetryWindow' must be between 00:00:00 (off) and 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CompletionRetries>();
        builder.Services.AddTransient<IStartupFilter, V1PathAlias>();
        builder.Services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        builder.Services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = problem =>
            problem.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? problem.HttpContext.TraceIdentifier));
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<OpenApiSecurity>();
            options.AddOperationTransformer<OpenApiSecurity>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Nova API";
                document.Info.Description = "Nova's REST API. Errors are RFC 7807 problem details; the OpenAI-compatible endpoints answer with OpenAI-style errors.";
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// The API's error handling and body limit for /api requests, then the rate limiter. Call it
    /// after the app's own UseExceptionHandler and UseStatusCodePages, so API requests get their
    /// errors answered here first, and before UseAntiforgery.
    /// </summary>
    public static WebApplication UseNovaApi(this WebApplication app)
    {
        app.UseWhen(IsApiRequest, api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
                ExceptionHandler = WriteExceptionAsync,
            });
            api.UseStatusCodePages(context => ApiErrors.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
            api.UseMiddleware<RequestBodyLimit>();
        });
        return app;
    }

    /// <summary>Maps /api/v1 (JWT or API key only, never the cookie), the OpenAPI document and /api/docs.</summary>
    public static IEndpointRouteBuilder MapNovaApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .RequireAuthorization(NovaApiPolicies.User)
            .DisableAntiforgery()
            .WithMetadata(NovaApiEndpoint.Instance);
        api.MapAuthApi();
        api.MapAdminApi();
        api.MapChatCompletionsApi();
        api.MapDocumentsApi();

        endpoints.MapOpenApi(OpenApiRoute);
        endpoints.MapScalarApiReference(DocsRoute, options => options
            .WithTitle("Nova API")
            .WithOpenApiRoutePattern(OpenApiRoute));
        return endpoints;
    }

    private static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        // A bad request's message describes the request; anything else stays in the log.
        var detail = exception is BadHttpRequestException ? exception.Message : "An unexpected error occurred. It has been logged.";
        return ApiErrors.WriteAsync(context, status, detail);
    }
}

using System.Text.Json.Serialization;

namespace Nova.App.Api.Errors;

/// <summary>An error in the OpenAI wire format: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiErrorBody([property: JsonPropertyName("error")] OpenAiError Error);

public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

/// <summary>
/// Errors for the OpenAI-compatible endpoints, which official SDKs parse: they read
/// <c>error.message</c> and <c>error.type</c>, not problem details.
/// </summary>
public static class OpenAiErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RateLimit = "rate_limit_error";
    public const string Server = "server_error";

    public static OpenAiErrorBody Body(string message, string type, string? param = null, string? code = null) =>
        new(new OpenAiError(message, type, param, code));

    /// <summary>A typed result with the status code, for endpoint handlers.</summary>
    public static IResult Result(int statusCode, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(Body(message, type, param, code), statusCode: statusCode);

    /// <summary>400 for a bad parameter, naming it as OpenAI does.</summary>
    public static IResult InvalidParameter(string param, string message) =>
        Result(StatusCodes.Status400BadRequest, message, InvalidRequest, param, "invalid_value");

    /// <summary>The OpenAI error type for a status code.</summary>
    public static string TypeFor(int statusCode) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => Authentication,
        StatusCodes.Status403Forbidden => Permission,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status429TooManyRequests => RateLimit,
        >= 500 => Server,
        _ => InvalidRequest,
    };

    public static Task WriteAsync(HttpContext context, int statusCode, string message, string? code = null)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(Body(message, TypeFor(statusCode), null, code), context.RequestAborted);
    }
}

/// <summary>
/// Marks endpoints whose errors must be OpenAI-shaped (<c>/chat/completions</c> and friends);
/// add it with <see cref="OpenAiErrorEndpointExtensions.WithOpenAiErrors{TBuilder}"/>.
/// </summary>
public sealed class OpenAiErrorFormat
{
    public static readonly OpenAiErrorFormat Instance = new();

    private OpenAiErrorFormat()
    {
    }
}

public static class OpenAiErrorEndpointExtensions
{
    /// <summary>Rate-limit, authentication and status-code errors of these endpoints use the OpenAI format.</summary>
    public static TBuilder WithOpenAiErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OpenAiErrorFormat.Instance);
}

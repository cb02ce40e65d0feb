using Microsoft.AspNetCore.WebUtilities;

namespace Nova.App.Api.Errors;

/// <summary>
/// Writes an error for a REST request: problem details (RFC 7807), or the OpenAI format on
/// endpoints marked with <see cref="OpenAiErrorFormat"/>.
/// </summary>
internal static class ApiErrors
{
    public static async Task WriteAsync(HttpContext context, int status, string? detail = null)
    {
        context.Response.StatusCode = status;
        if (context.GetEndpoint()?.Metadata.GetMetadata<OpenAiErrorFormat>() is not null)
        {
            await OpenAiErrors.WriteAsync(context, status, detail ?? ReasonPhrases.GetReasonPhrase(status));
            return;
        }
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail },
        };
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(problem))
        {
            // The client's Accept header names no JSON type; an API error is JSON all the same.
            await context.Response.WriteAsJsonAsync(problem.ProblemDetails, (System.Text.Json.JsonSerializerOptions?)null,
                "application/problem+json", context.RequestAborted);
        }
    }
}

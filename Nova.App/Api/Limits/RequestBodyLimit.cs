using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;

namespace Nova.App.Api.Limits;

/// <summary>
/// Caps REST request bodies. A declared length over the cap is refused before anything reads
/// it; a chunked body is cut off by the server when it passes the cap.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<ApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than {limit} bytes.");
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }
}

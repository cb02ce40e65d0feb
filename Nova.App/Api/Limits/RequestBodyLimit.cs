using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;

namespace Nova.App.Api.Limits;

/// <summary>
/// Caps REST request bodies at <see cref="ApiOptions.MaxBodyBytes"/>, or at the endpoint's own limit
/// (<see cref="RequestBodyLimitExtensions.WithRequestBodyLimit{TBuilder}"/>). A declared length over the
/// cap is refused before anything reads it; a chunked body is cut off by the server when it passes the cap.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<ApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } own }
            ? own
            : options.Value.MaxBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            // Also what the server drains of a body the app did not read: past it, the connection is closed.
            feature.MaxRequestBodySize = limit;
        }
        if (context.Request.ContentLength > limit)
        {
            // Answered before reading, so a client that sent "Expect: 100-continue" never sends the body at all.
            context.Response.Headers.Connection = "close";
            return ApiErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body is larger than {limit} bytes.");
        }
        return next(context);
    }
}

public static class RequestBodyLimitExtensions
{
    /// <summary>This endpoint's request bodies may be up to <paramref name="bytes"/> long, instead of <c>Nova:Api:MaxBodyBytes</c>.</summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    private sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Nova.App.Api.Errors;

namespace Nova.Tests.Unit.Api;

public sealed class ApiErrorsTests
{
    [Fact]
    public async Task AnOpenAiEndpointGetsAnOpenAiShapedError()
    {
        var context = NewContext(new EndpointMetadataCollection(OpenAiErrorFormat.Instance));

        await ApiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Slow down.");

        var error = Body(context).GetProperty("error");
        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("Slow down.", error.GetProperty("message").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task AnyOtherEndpointGetsProblemDetails()
    {
        var context = NewContext(new EndpointMetadataCollection());

        await ApiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "No such key.");

        var problem = Body(context);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("Not Found", problem.GetProperty("title").GetString());
        Assert.Equal("No such key.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public void ABadParameterNamesItTheWayOpenAiDoes()
    {
        var body = OpenAiErrors.Body("max_tokens must be at most 32768.", OpenAiErrors.InvalidRequest, "max_tokens", "invalid_value");

        var json = JsonSerializer.Serialize(body);

        Assert.Equal("""{"error":{"message":"max_tokens must be at most 32768.","type":"invalid_request_error","param":"max_tokens","code":"invalid_value"}}""", json);
    }

    private static DefaultHttpContext NewContext(EndpointMetadataCollection metadata)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, metadata, "test"));
        return context;
    }

    private static JsonElement Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement;
    }
}

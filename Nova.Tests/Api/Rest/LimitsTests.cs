using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Rest;

public sealed class LimitsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TheAuthEndpointsAnswer429WithRetryAfterPastTheLimit(DatabaseProvider provider)
    {
        await using var app = await RestApiApp.StartAsync(provider, ("Nova:RateLimits:AuthRequestsPerMinute", "2"));
        using var client = app.Client();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = default!;
        for (var i = 0; i < 3; i++)
        {
            last = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "a@example.com", password = "x" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        var retryAfter = int.Parse(last.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await last.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ASpoofedForwardedForFromAnUnknownClientDoesNotChangeThePartition()
    {
        await using var app = await RestApiApp.StartOnRealPortAsync(DatabaseProvider.Sqlite, ("Nova:RateLimits:AuthRequestsPerMinute", "2"));
        using var client = new HttpClient { BaseAddress = app.Address };

        var statuses = await PostTokensFromSpoofedAddressesAsync(client, count: 3);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task AKnownProxysForwardedForPicksThePartition()
    {
        await using var app = await RestApiApp.StartOnRealPortAsync(DatabaseProvider.Sqlite,
            ("Nova:RateLimits:AuthRequestsPerMinute", "2"), ("Nova:ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        using var client = new HttpClient { BaseAddress = app.Address };

        var statuses = await PostTokensFromSpoofedAddressesAsync(client, count: 3);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task AnOversizeBodyGets413BeforeItIsRead()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite, ("Nova:Api:MaxBodyBytes", "1000"));
        using var client = app.Client();
        var body = new StringContent($"{{\"email\":\"{new string('a', 2000)}\",\"password\":\"x\"}}", Encoding.UTF8, "application/json");

        var response = await client.PostAsync("/api/v1/auth/token", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnOversizeChunkedBodyIsCutOffWith413()
    {
        await using var app = await RestApiApp.StartOnRealPortAsync(DatabaseProvider.Sqlite, ("Nova:Api:MaxBodyBytes", "1000"));
        using var client = new HttpClient { BaseAddress = app.Address };
        var body = new StringContent($"{{\"email\":\"{new string('a', 5000)}\",\"password\":\"x\"}}", Encoding.UTF8, "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/token") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"email\":")]
    [InlineData("not json at all")]
    [InlineData("{\"email\": 42, \"password\": []}")]
    public async Task MalformedJsonIsABadRequestProblem(string json)
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.Client();

        var response = await client.PostAsync("/api/v1/auth/token", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bad Request", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnUnknownApiRouteIsANotFoundProblemNotThePage()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.Client();

        var response = await client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApiAndTheReferencePageIsServed()
    {
        await using var app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.Client();

        var document = JsonDocument.Parse(await client.GetStringAsync("/api/openapi/v1.json")).RootElement;
        var redirect = await client.GetAsync("/api/docs");
        var docs = await client.GetAsync(new Uri(redirect.RequestMessage!.RequestUri!, redirect.Headers.Location!));

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/token", paths);
        Assert.Contains("/api/v1/auth/keys/{id}", paths);
        Assert.Contains("/api/v1/admin/users", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
        var token = document.GetProperty("paths").GetProperty("/api/v1/auth/token").GetProperty("post");
        var keys = document.GetProperty("paths").GetProperty("/api/v1/auth/keys").GetProperty("get");
        Assert.Equal("IssueToken", token.GetProperty("operationId").GetString());
        Assert.False(token.TryGetProperty("security", out _));
        Assert.True(keys.TryGetProperty("security", out _));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        // Scalar resolves the relative document URL against the site's base path, not the page's.
        Assert.Contains("\"url\":\"api/openapi/v1.json\"", await docs.Content.ReadAsStringAsync());
    }

    private static async Task<List<HttpStatusCode>> PostTokensFromSpoofedAddressesAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/token")
            {
                Content = JsonContent.Create(new { email = "a@example.com", password = "x" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        return statuses;
    }
}

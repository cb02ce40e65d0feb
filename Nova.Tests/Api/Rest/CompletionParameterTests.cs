using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Llm;

namespace Nova.Tests.Api.Rest;

/// <summary>The parameters clients send reach each kind of model server in its own terms, as the fakes receive them.</summary>
public sealed class CompletionParameterTests : IAsyncLifetime
{
    private const string AllParameters = """
        "temperature":0.5,"top_p":0.9,"max_tokens":50,"stop":["END","STOP"],"seed":7,
        "presence_penalty":0.25,"frequency_penalty":0.5,"user":"user-1","n":1,"logprobs":false,"some_future_field":{"x":1}
        """;

    private const string SchemaFormat = """
        "response_format":{"type":"json_schema","json_schema":{"name":"place",
          "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}
        """;

    private readonly FakeOpenAiServer _openAi = new() { Answer = "{}", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000 };
    private readonly FakeOllamaServer _ollama = new() { Answer = "{}", TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1000, Models = ["ollama-model"] };
    private RestApiApp _app = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        await _openAi.StartAsync();
        await _ollama.StartAsync();
        _app = await RestApiApp.StartAsync(DatabaseProvider.Sqlite,
            ("Nova:Llm:Endpoints:0:Name", "openai"),
            ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
            ("Nova:Llm:Endpoints:0:BaseUrl", _openAi.BaseUrl.ToString()),
            ("Nova:Llm:Endpoints:1:Name", "ollama"),
            ("Nova:Llm:Endpoints:1:Kind", "Ollama"),
            ("Nova:Llm:Endpoints:1:BaseUrl", _ollama.BaseUrl.ToString()));
        await _app.RegisterAsync("user@example.com");
        _key = (await _app.CreateKeyAsync(await _app.TokenAsync("user@example.com"), "sdk")).Key;
        await _app.Services.GetRequiredService<ModelCatalog>().RefreshAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _openAi.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Fact]
    public async Task AnOpenAiCompatibleServerReceivesEveryParameter()
    {
        await AskAsync("fake-model", $$"""{{AllParameters}},"response_format":{"type":"json_object"}""");

        var body = Assert.Single(_openAi.ChatRequests).Body;
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(50, (body.TryGetProperty("max_completion_tokens", out var max) ? max : body.GetProperty("max_tokens")).GetInt32());
        Assert.Equal(["END", "STOP"], body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.25, body.GetProperty("presence_penalty").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("frequency_penalty").GetDouble(), 3);
        Assert.Equal("user-1", body.GetProperty("user").GetString());
        Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.False(body.TryGetProperty("some_future_field", out _));
    }

    [Fact]
    public async Task AJsonSchemaReachesAnOpenAiCompatibleServerAsItsResponseFormat()
    {
        await AskAsync("fake-model", SchemaFormat);

        var format = Assert.Single(_openAi.ChatRequests).Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("place", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("string", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
    }

    [Fact]
    public async Task OllamaReceivesEveryParameterAsItsOptionsAndFormat()
    {
        await AskAsync("ollama-model", $$"""{{AllParameters}},"response_format":{"type":"json_object"}""");

        var body = Assert.Single(_ollama.ChatRequests).Body;
        var options = body.GetProperty("options");
        Assert.Equal(0.5, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.9, options.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(50, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(["END", "STOP"], options.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(7, options.GetProperty("seed").GetInt64());
        Assert.Equal(0.25, options.GetProperty("presence_penalty").GetDouble(), 3);
        Assert.Equal(0.5, options.GetProperty("frequency_penalty").GetDouble(), 3);
        Assert.Equal("json", body.GetProperty("format").GetString());
    }

    [Fact]
    public async Task OllamaReceivesAJsonSchemaAsItsFormat()
    {
        await AskAsync("ollama-model", SchemaFormat);

        var format = Assert.Single(_ollama.ChatRequests).Body.GetProperty("format");
        Assert.Equal("string", format.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("n", "\"n\":2")]
    [InlineData("top_p", "\"top_p\":1.5")]
    [InlineData("presence_penalty", "\"presence_penalty\":-3")]
    [InlineData("stop", "\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]")]
    [InlineData("response_format.type", "\"response_format\":{\"type\":\"yaml\"}")]
    [InlineData("response_format.json_schema", "\"response_format\":{\"type\":\"json_schema\"}")]
    public async Task AnUnsupportedValueIsA400NamingTheParameter(string parameter, string field)
    {
        using var client = _app.Client(_key);
        using var response = await client.PostAsync("api/v1/chat/completions", Body("fake-model", field));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(parameter, error.GetProperty("param").GetString());
        Assert.Empty(_openAi.ChatRequests);
    }

    private async Task AskAsync(string model, string fields)
    {
        using var client = _app.Client(_key);
        using var response = await client.PostAsync("api/v1/chat/completions", Body(model, fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent Body(string model, string fields) =>
        new($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Where?"}],{{fields}}}""", Encoding.UTF8, "application/json");
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nova.Services.Llm;

namespace Nova.Tests.Unit.Llm;

public sealed class LlmOptionsTests
{
    private static Dictionary<string, string?> OneEndpoint() => new()
    {
        ["Nova:Llm:Endpoints:0:Name"] = "vllm",
        ["Nova:Llm:Endpoints:0:Kind"] = "OpenAI",
        ["Nova:Llm:Endpoints:0:BaseUrl"] = "http://127.0.0.1:8000/v1",
    };

    private static async Task<string> StartFailureAsync(Dictionary<string, string?> settings)
    {
        await using var host = LlmTestHost.Create(settings);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.Host.StartAsync());
        return error.Message;
    }

    [Theory]
    [InlineData("Nova:Llm:Endpoints:0:BaseUrl", "localhost:8000/v1", "Nova:Llm:Endpoints:0:BaseUrl")]
    [InlineData("Nova:Llm:Endpoints:0:BaseUrl", "/v1", "Nova:Llm:Endpoints:0:BaseUrl")]
    [InlineData("Nova:Llm:Endpoints:0:BaseUrl", "ftp://models.example/v1", "Nova:Llm:Endpoints:0:BaseUrl")]
    [InlineData("Nova:Llm:Endpoints:0:BaseUrl", "", "Nova:Llm:Endpoints:0:BaseUrl")]
    [InlineData("Nova:Llm:Endpoints:0:Name", "", "Nova:Llm:Endpoints:0:Name")]
    [InlineData("Nova:Llm:Endpoints:0:Kind", "Bedrock", "Nova:Llm:Endpoints:0:Kind")]
    [InlineData("Nova:Llm:Endpoints:0:Kind", "", "Nova:Llm:Endpoints:0:Kind")]
    [InlineData("Nova:Llm:Endpoints:0:Kind", "1", "Nova:Llm:Endpoints:0:Kind")]
    [InlineData("Nova:Llm:Endpoints:0:Models:0", " ", "Nova:Llm:Endpoints:0:Models:0")]
    [InlineData("Nova:Llm:RequestTimeout", "00:00:01", "Nova:Llm:RequestTimeout")]
    [InlineData("Nova:Llm:RefreshInterval", "00:00:00", "Nova:Llm:RefreshInterval")]
    [InlineData("Nova:Llm:MaxRetries", "50", "Nova:Llm:MaxRetries")]
    public async Task ABadSettingStopsTheStartWithItsKey(string key, string value, string named)
    {
        var settings = OneEndpoint();
        settings[key] = value;

        var message = await StartFailureAsync(settings);

        Assert.Contains(named, message);
    }

    [Fact]
    public async Task TwoEndpointsWithOneNameAreRejected()
    {
        var settings = OneEndpoint();
        settings["Nova:Llm:Endpoints:1:Name"] = "VLLM";
        settings["Nova:Llm:Endpoints:1:Kind"] = "Ollama";
        settings["Nova:Llm:Endpoints:1:BaseUrl"] = "http://127.0.0.1:11434";

        var message = await StartFailureAsync(settings);

        Assert.Contains("Nova:Llm:Endpoints:1:Name", message);
        Assert.Contains("unique", message);
    }

    [Fact]
    public async Task CredentialsInTheBaseUrlAreRejectedWithoutBeingRepeated()
    {
        var settings = OneEndpoint();
        settings["Nova:Llm:Endpoints:0:BaseUrl"] = "http://admin:hunter2@127.0.0.1:8000/v1";

        var message = await StartFailureAsync(settings);

        Assert.Contains("Nova:Llm:Endpoints:0:BaseUrl", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public void WithoutEndpointsNovaLooksForOllamaOnThisMachine()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddNovaLlm();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;

        var endpoint = Assert.Single(options.Endpoints);
        Assert.Equal(("ollama-local", LlmEndpointKind.Ollama, "http://localhost:11434"), (endpoint.Name, endpoint.EndpointKind, endpoint.BaseUrl));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RefreshInterval);
    }

    [Fact]
    public void AValidConfigurationBindsEveryEndpoint()
    {
        var settings = OneEndpoint();
        settings["Nova:Llm:Endpoints:0:Models:0"] = "llama-3-8b";
        settings["Nova:Llm:Endpoints:1:Name"] = "ollama";
        settings["Nova:Llm:Endpoints:1:Kind"] = "ollama";
        settings["Nova:Llm:Endpoints:1:BaseUrl"] = "https://ollama.internal";
        settings["Nova:Llm:DefaultModel"] = "llama-3-8b";
        using var host = LlmTestHost.Create(settings).Host;

        var options = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;

        Assert.Equal(["vllm", "ollama"], options.Endpoints.Select(e => e.Name));
        Assert.Equal([LlmEndpointKind.OpenAI, LlmEndpointKind.Ollama], options.Endpoints.Select(e => e.EndpointKind));
        Assert.Equal(["llama-3-8b"], options.Endpoints[0].Models);
        Assert.Equal("llama-3-8b", options.DefaultModel);
    }
}

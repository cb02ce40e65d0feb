using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Nova.Fakes;
using Nova.Services.Llm;

namespace Nova.Tests.Unit.Llm;

public sealed class ModelCatalogTests : IAsyncLifetime
{
    private readonly FakeOpenAiServer _vllm = new() { Models = ["llama-3-8b", "qwen-2.5-7b"], TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0, Answer = "from vllm" };
    private readonly FakeOllamaServer _ollama = new() { Models = ["phi3:mini"], TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0, Answer = "from ollama" };

    public async Task InitializeAsync()
    {
        await _vllm.StartAsync();
        await _ollama.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _vllm.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Fact]
    public async Task TheCatalogMergesTheModelsOfEveryEndpointInOrder()
    {
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm), ("ollama", _ollama));

        Assert.Equal(
            [new("llama-3-8b", "vllm", true), new("qwen-2.5-7b", "vllm", true), new ModelInfo("phi3:mini", "ollama", true)],
            host.Router.ListModels());
        Assert.All(host.Catalog.Endpoints, e => Assert.True(e.IsReachable));
        Assert.Equal([2, 1], host.Catalog.Endpoints.Select(e => e.ModelCount));
        Assert.Equal(HealthStatus.Healthy, (await host.ReadinessAsync()).Status);
    }

    [Fact]
    public async Task AStoppedEndpointIsMarkedDownAndComesBackWhenItReturns()
    {
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm), ("ollama", _ollama));
        var changes = 0;
        host.Router.Changed += () => changes++;

        await _ollama.StopAsync();
        await host.Catalog.RefreshAsync();

        Assert.Equal(1, changes);
        Assert.Equal(new ModelInfo("phi3:mini", "ollama", false), host.Router.ListModels().Single(m => m.EndpointName == "ollama"));
        var down = host.Catalog.Endpoints.Single(e => e.Name == "ollama");
        Assert.False(down.IsReachable);
        Assert.False(string.IsNullOrWhiteSpace(down.LastError));
        Assert.NotNull(down.LastChecked);
        Assert.Null(host.Router.Resolve("phi3:mini"));
        var degraded = await host.ReadinessAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("ollama", degraded.Entries[LlmHealthCheck.Name].Description);

        await host.Catalog.RefreshAsync();
        Assert.Equal(1, changes);

        await _ollama.StartAsync();
        await host.Catalog.RefreshAsync();

        Assert.Equal(2, changes);
        Assert.True(host.Router.ListModels().Single(m => m.EndpointName == "ollama").IsAvailable);
        Assert.Null(host.Catalog.Endpoints.Single(e => e.Name == "ollama").LastError);
        Assert.Equal(HealthStatus.Healthy, (await host.ReadinessAsync()).Status);
        Assert.Equal("ollama", host.Router.Resolve("phi3:mini")?.EndpointName);
    }

    [Fact]
    public async Task ResolveRoutesEachModelToTheEndpointServingIt()
    {
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm), ("ollama", _ollama));

        var phi = host.Router.Resolve("phi3:mini");
        var qwen = host.Router.Resolve("qwen-2.5-7b");
        var phiAnswer = await phi!.Client.GetResponseAsync("hi");
        var qwenAnswer = await qwen!.Client.GetResponseAsync("hi");

        Assert.Equal(("phi3:mini", "ollama"), (phi.ModelId, phi.EndpointName));
        Assert.Equal(("qwen-2.5-7b", "vllm"), (qwen.ModelId, qwen.EndpointName));
        Assert.Equal("from ollama", phiAnswer.Text);
        Assert.Equal("from vllm", qwenAnswer.Text);
        Assert.Equal("phi3:mini", Assert.Single(_ollama.ChatRequests).Model);
        Assert.Equal("qwen-2.5-7b", Assert.Single(_vllm.ChatRequests).Model);
        Assert.Null(host.Router.Resolve("no-such-model"));
    }

    [Fact]
    public async Task AModelServedTwiceGoesToTheFirstEndpointThatIsUp()
    {
        _ollama.Models = ["llama-3-8b"];
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm), ("ollama", _ollama));
        Assert.Equal("vllm", host.Router.Resolve("llama-3-8b")?.EndpointName);

        await _vllm.StopAsync();
        await host.Catalog.RefreshAsync();

        Assert.Equal("ollama", host.Router.Resolve("llama-3-8b")?.EndpointName);
    }

    [Fact]
    public async Task TheDefaultModelIsTheConfiguredOneWhileItIsAvailableElseTheFirstAvailable()
    {
        var settings = LlmTestHost.Settings(("vllm", _vllm), ("ollama", _ollama));
        settings["Nova:Llm:DefaultModel"] = "phi3:mini";
        await using var host = LlmTestHost.Create(settings);
        await host.Catalog.RefreshAsync();

        Assert.Equal("phi3:mini", host.Router.DefaultModelId);
        Assert.Equal("phi3:mini", host.Router.Resolve(null)?.ModelId);

        await _ollama.StopAsync();
        await host.Catalog.RefreshAsync();

        Assert.Equal("llama-3-8b", host.Router.DefaultModelId);
        var fallback = host.Router.Resolve(null);
        Assert.Equal(("llama-3-8b", "vllm"), (fallback?.ModelId, fallback?.EndpointName));
    }

    [Fact]
    public async Task WithNoModelReachableNothingResolvesAndReadinessIsDegradedNotUnhealthy()
    {
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm), ("ollama", _ollama));
        await _vllm.StopAsync();
        await _ollama.StopAsync();
        await host.Catalog.RefreshAsync();

        Assert.Null(host.Router.DefaultModelId);
        Assert.Null(host.Router.Resolve(null));
        Assert.All(host.Router.ListModels(), m => Assert.False(m.IsAvailable));
        var report = await host.ReadinessAsync();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("retrieval-only", report.Entries[LlmHealthCheck.Name].Description);
    }

    [Fact]
    public async Task BeforeTheFirstRefreshNothingResolvesAndReadinessSaysSo()
    {
        await using var host = LlmTestHost.Create(LlmTestHost.Settings(("vllm", _vllm)));

        Assert.Empty(host.Router.ListModels());
        Assert.Null(host.Router.Resolve(null));
        Assert.Equal(HealthStatus.Degraded, (await host.ReadinessAsync()).Status);
        Assert.Equal(0, _vllm.ModelListRequests);
    }

    [Fact]
    public async Task TheHostedCatalogRefreshesAtStart()
    {
        await using var host = LlmTestHost.Create(LlmTestHost.Settings(("vllm", _vllm)));
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Router.Changed += changed.SetResult;

        await host.Host.StartAsync();
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("llama-3-8b", host.Router.DefaultModelId);
        await host.Host.StopAsync();
    }

    [Fact]
    public async Task ConfiguredModelsStandInForAServerWithoutAModelList()
    {
        _vllm.ModelListStatus = 404;
        var settings = LlmTestHost.Settings(("vllm", _vllm));
        settings["Nova:Llm:Endpoints:0:Models:0"] = "served-model";
        await using var host = LlmTestHost.Create(settings);
        await host.Catalog.RefreshAsync();

        Assert.Equal([new ModelInfo("served-model", "vllm", true)], host.Router.ListModels());
    }

    [Fact]
    public async Task AnEndpointThatRefusesTheListIsDownWithTheStatusAsReason()
    {
        _vllm.ModelListStatus = 401;
        await using var host = await LlmTestHost.StartAsync(("vllm", _vllm));

        var endpoint = Assert.Single(host.Catalog.Endpoints);
        Assert.False(endpoint.IsReachable);
        Assert.Contains("401", endpoint.LastError);
    }

    [Fact]
    public async Task ABusyEndpointWhoseModelListTimesOutStaysInServiceWhileItsAnswersFlow()
    {
        await using var host = await StartWithProbeTimeoutAsync(TimeSpan.FromSeconds(1));
        var model = host.Router.Resolve("llama-3-8b")!;
        Assert.Equal("from vllm", (await model.Client.GetResponseAsync("hi")).Text);
        var changes = 0;
        host.Router.Changed += () => changes++;

        _vllm.ModelListDelay = TimeSpan.FromSeconds(30);
        await host.Catalog.RefreshAsync();

        var endpoint = Assert.Single(host.Catalog.Endpoints);
        Assert.True(endpoint.IsReachable);
        Assert.Contains("kept in service", endpoint.LastError);
        Assert.Equal(2, endpoint.ModelCount);
        Assert.All(host.Router.ListModels(), m => Assert.True(m.IsAvailable));
        Assert.Equal("vllm", host.Router.Resolve("llama-3-8b")?.EndpointName);
        Assert.Equal(0, changes);
    }

    [Fact]
    public async Task AnIdleEndpointWhoseModelListTimesOutIsTakenOutOfService()
    {
        await using var host = await StartWithProbeTimeoutAsync(TimeSpan.FromSeconds(1));

        _vllm.ModelListDelay = TimeSpan.FromSeconds(30);
        await host.Catalog.RefreshAsync();

        var endpoint = Assert.Single(host.Catalog.Endpoints);
        Assert.False(endpoint.IsReachable);
        Assert.Contains("No answer within", endpoint.LastError);
        Assert.Null(host.Router.Resolve("llama-3-8b"));
    }

    [Fact]
    public async Task HostileModelIdsAreDroppedFromTheList()
    {
        var longId = new string('x', ModelIds.MaxLength + 1);
        _ollama.Models = ["good:latest", "", " padded", "line\nbreak", longId, "good:latest"];
        await using var host = await LlmTestHost.StartAsync(("ollama", _ollama));

        Assert.Equal(["good:latest"], host.Router.ListModels().Select(m => m.Id));
    }

    private async Task<LlmTestHost> StartWithProbeTimeoutAsync(TimeSpan probeTimeout)
    {
        var settings = LlmTestHost.Settings(("vllm", _vllm));
        settings["Nova:Llm:ProbeTimeout"] = probeTimeout.ToString("c");
        var host = LlmTestHost.Create(settings);
        await host.Catalog.RefreshAsync();
        return host;
    }
}

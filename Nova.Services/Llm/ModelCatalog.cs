using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Nova.Services.Llm;

/// <summary>
/// The merged model catalog: asks every endpoint for its models at start, every
/// <c>Nova:Llm:RefreshInterval</c> and on <see cref="RefreshAsync"/>, tracks whether each endpoint
/// answers, and routes a model id to the first reachable endpoint serving it. Models of an
/// unreachable endpoint stay listed as unavailable. An endpoint whose model list times out while it is
/// delivering answers is busy, not down: it stays in service (see <see cref="BusyWindow"/>).
/// </summary>
public sealed partial class ModelCatalog : BackgroundService, IModelRouter
{
    private readonly LlmOptions _options;
    private readonly ModelLister _lister;
    private readonly LlmClientFactory _clientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelCatalog> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly ConcurrentDictionary<(string Endpoint, string Model, bool Background), IChatClient> _clients = new();
    private readonly Dictionary<string, EndpointActivity> _activity;
    private volatile Snapshot _snapshot;

    public ModelCatalog(
        IOptions<LlmOptions> options,
        ModelLister lister,
        LlmClientFactory clientFactory,
        TimeProvider time,
        ILogger<ModelCatalog> logger)
    {
        _options = options.Value;
        _lister = lister;
        _clientFactory = clientFactory;
        _time = time;
        _logger = logger;
        _activity = _options.Endpoints.ToDictionary(e => e.Name, _ => new EndpointActivity(time));
        _snapshot = new Snapshot(
            [.. _options.Endpoints.SelectMany(e => e.Models.Select(m => new ModelInfo(m, e.Name, IsAvailable: false)))],
            [.. _options.Endpoints.Select(e => Health(e, reachable: false, error: null, checkedAt: null, modelCount: e.Models.Count))],
            LastRefreshed: null);
    }

    public event Action? Changed;

    /// <summary>Every endpoint's health, in configuration order.</summary>
    public IReadOnlyList<EndpointHealth> Endpoints => _snapshot.Endpoints;

    /// <summary>When the last refresh finished; null until the first one has.</summary>
    public DateTimeOffset? LastRefreshed => _snapshot.LastRefreshed;

    public IReadOnlyList<ModelInfo> ListModels() => _snapshot.Models;

    /// <summary>
    /// How recently an endpoint must have delivered an answer (a streamed token or a whole response) for a
    /// model list that times out to leave it in service: the probe's own wait and as long again before it.
    /// </summary>
    private TimeSpan BusyWindow => 2 * _options.ProbeTimeout;

    public string? DefaultModelId => DefaultOf(_snapshot);

    public ResolvedModel? Resolve(string? modelId)
    {
        var snapshot = _snapshot;
        var id = modelId ?? DefaultOf(snapshot);
        var model = snapshot.Models.FirstOrDefault(m => m.IsAvailable && m.Id == id);
        if (model is null)
        {
            return null;
        }
        var endpoint = _options.Endpoints.First(e => e.Name == model.EndpointName);
        return new ResolvedModel(model.Id, endpoint.Name, Client(endpoint, model.Id, background: false))
        {
            BackgroundClient = Client(endpoint, model.Id, background: true),
        };
    }

    private IChatClient Client(LlmEndpointOptions endpoint, string modelId, bool background) =>
        _clients.GetOrAdd((endpoint.Name, modelId, background),
            key => new ActivityReportingChatClient(_clientFactory.Create(endpoint, key.Model, key.Background), _activity[endpoint.Name]));

    /// <summary>Asks every endpoint for its models now; raises <see cref="Changed"/> if anything changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            var previous = _snapshot;
            var probes = await Task.WhenAll(_options.Endpoints.Select(e => ProbeAsync(e, previous, cancellationToken)));
            var next = new Snapshot(
                [.. probes.SelectMany(p => p.Models.Select(m => new ModelInfo(m, p.Health.Name, p.Health.IsReachable)))],
                [.. probes.Select(p => p.Health)],
                _time.GetUtcNow());
            _snapshot = next;
            LogTransitions(previous, next);
            if (!previous.Models.SequenceEqual(next.Models)
                || !previous.Endpoints.Select(e => e.IsReachable).SequenceEqual(next.Endpoints.Select(e => e.IsReachable)))
            {
                RaiseChanged();
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _clients.Clear();
        _refreshGate.Dispose();
    }

    private async Task<Probe> ProbeAsync(LlmEndpointOptions endpoint, Snapshot previous, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ProbeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var now = _time.GetUtcNow();
        try
        {
            var listed = await _lister.ListAsync(endpoint, linked.Token);
            var models = endpoint.Models.Count > 0 ? endpoint.Models : listed;
            return new Probe(Health(endpoint, reachable: true, error: null, now, models.Count), models);
        }
        catch (ModelListingException e) when (e.StatusCode == 404 && endpoint.Models.Count > 0)
        {
            // Some OpenAI-compatible servers have no model list; the configured list stands in for it.
            return new Probe(Health(endpoint, reachable: true, error: null, now, endpoint.Models.Count), endpoint.Models);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested
                                && _activity[endpoint.Name].DeliveredWithin(BusyWindow))
        {
            // Saturated, not down: answers are flowing. Taking it out of service would refuse requests it is serving.
            var kept = KnownModels(endpoint, previous);
            var busy = $"The model list did not answer within {_options.ProbeTimeout}, but answers from this endpoint are flowing: kept in service.";
            return new Probe(Health(endpoint, reachable: true, busy, now, kept.Count), kept);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = e switch
            {
                ModelListingException => e.Message,
                OperationCanceledException when timeout.IsCancellationRequested => $"No answer within {_options.ProbeTimeout}.",
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            var known = KnownModels(endpoint, previous);
            return new Probe(Health(endpoint, reachable: false, error, now, known.Count), known);
        }
    }

    /// <summary>The models an endpoint is taken to serve when it gave no list: the configured ones, else the last listed.</summary>
    private static IReadOnlyList<string> KnownModels(LlmEndpointOptions endpoint, Snapshot previous) =>
        endpoint.Models.Count > 0 ? endpoint.Models : [.. previous.Models.Where(m => m.EndpointName == endpoint.Name).Select(m => m.Id)];

    private string? DefaultOf(Snapshot snapshot)
    {
        if (_options.DefaultModel is { } preferred && snapshot.Models.Any(m => m.IsAvailable && m.Id == preferred))
        {
            return preferred;
        }
        return snapshot.Models.FirstOrDefault(m => m.IsAvailable)?.Id;
    }

    private void LogTransitions(Snapshot previous, Snapshot next)
    {
        for (var i = 0; i < next.Endpoints.Count; i++)
        {
            var (before, after) = (previous.Endpoints[i], next.Endpoints[i]);
            var firstCheck = before.LastChecked is null;
            if (after.IsReachable && (firstCheck || !before.IsReachable))
            {
                LogReachable(after.Name, after.BaseUrl, after.ModelCount);
            }
            else if (!after.IsReachable && (firstCheck || before.IsReachable))
            {
                LogUnreachable(after.Name, after.BaseUrl, after.LastError);
            }
        }
    }

    private void RaiseChanged()
    {
        if (Changed is not { } handlers)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                LogChangedHandlerFailed(e);
            }
        }
    }

    private static EndpointHealth Health(LlmEndpointOptions e, bool reachable, string? error, DateTimeOffset? checkedAt, int modelCount) =>
        new(e.Name, e.EndpointKind, e.BaseUrl, reachable, error, checkedAt, modelCount);

    [LoggerMessage(LogLevel.Information, "Model endpoint {Endpoint} ({BaseUrl}) is reachable with {ModelCount} models")]
    private partial void LogReachable(string endpoint, string baseUrl, int modelCount);

    [LoggerMessage(LogLevel.Warning, "Model endpoint {Endpoint} ({BaseUrl}) is unreachable: {Error}")]
    private partial void LogUnreachable(string endpoint, string baseUrl, string? error);

    [LoggerMessage(LogLevel.Error, "A model catalog Changed handler failed")]
    private partial void LogChangedHandlerFailed(Exception exception);

    private sealed record Snapshot(IReadOnlyList<ModelInfo> Models, IReadOnlyList<EndpointHealth> Endpoints, DateTimeOffset? LastRefreshed);

    private sealed record Probe(EndpointHealth Health, IReadOnlyList<string> Models);
}

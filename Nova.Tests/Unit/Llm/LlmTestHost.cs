using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nova.Fakes;
using Nova.Services.Llm;

namespace Nova.Tests.Unit.Llm;

/// <summary>A host with only <c>AddNovaLlm</c>, pointed at fake servers, that records every log line.</summary>
internal sealed class LlmTestHost : IAsyncDisposable
{
    private LlmTestHost(IHost host, LogRecorder logs)
    {
        Host = host;
        Logs = logs;
    }

    public IHost Host { get; }

    public LogRecorder Logs { get; }

    public ModelCatalog Catalog => Host.Services.GetRequiredService<ModelCatalog>();

    public IModelRouter Router => Host.Services.GetRequiredService<IModelRouter>();

    /// <summary>Settings with test-sized timeouts; <paramref name="endpoints"/> become Nova:Llm:Endpoints in order.</summary>
    public static Dictionary<string, string?> Settings(params (string Name, FakeLlmServer Server)[] endpoints)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Nova:Llm:FirstTokenTimeout"] = "00:00:10",
            ["Nova:Llm:RequestTimeout"] = "00:00:30",
            ["Nova:Llm:ProbeTimeout"] = "00:00:05",
            ["Nova:Llm:RetryDelay"] = "00:00:00.010",
        };
        for (var i = 0; i < endpoints.Length; i++)
        {
            var (name, server) = endpoints[i];
            settings[$"Nova:Llm:Endpoints:{i}:Name"] = name;
            settings[$"Nova:Llm:Endpoints:{i}:Kind"] = server is FakeOllamaServer ? "Ollama" : "OpenAI";
            settings[$"Nova:Llm:Endpoints:{i}:BaseUrl"] = server.BaseUrl.ToString();
        }
        return settings;
    }

    /// <summary>Builds the host without starting it, so the catalog refreshes only when a test asks.</summary>
    public static LlmTestHost Create(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogRecorder();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddNovaLlm();
        return new LlmTestHost(builder.Build(), logs);
    }

    public static async Task<LlmTestHost> StartAsync(params (string Name, FakeLlmServer Server)[] endpoints)
    {
        var host = Create(Settings(endpoints));
        await host.Catalog.RefreshAsync();
        return host;
    }

    public Task<HealthReport> ReadinessAsync() =>
        Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"));

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Every log message and exception text, at every level.</summary>
    internal sealed class LogRecorder : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                    : "";
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
            }
        }
    }
}

internal static class ChatStreams
{
    /// <summary>Reads a stream to the end, keeping each text piece, the usage and the error that ended it.</summary>
    public static async Task<StreamResult> ReadAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var result = new StreamResult();
        try
        {
            await foreach (var update in updates)
            {
                result.Updates.Add(update);
                foreach (var content in update.Contents)
                {
                    switch (content)
                    {
                        case TextContent { Text.Length: > 0 } text:
                            result.Tokens.Add(text.Text);
                            break;
                        case UsageContent usage:
                            result.Usage = usage.Details;
                            break;
                    }
                }
            }
        }
        catch (Exception e)
        {
            result.Error = e;
        }
        return result;
    }
}

internal sealed class StreamResult
{
    public List<ChatResponseUpdate> Updates { get; } = [];

    public List<string> Tokens { get; } = [];

    public UsageDetails? Usage { get; set; }

    public Exception? Error { get; set; }

    public string Text => string.Concat(Tokens);
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nova.Bench.Relay;
using Nova.Fakes;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 1: N concurrent streams through Nova's /api/v1/chat/completions (Nova.App as a child process,
/// its endpoint the fake OpenAI server, an API key made through the API) against the same streams read
/// straight from the fake, in the same run. The fake sends one token per SSE event.
/// </summary>
public sealed class RestRelayScenario : IBenchScenario
{
    private const string Email = "bench@nova.invalid";
    private const string Password = "Bench-password-1";
    private const int MaxWarmUpRounds = 20;

    public string Name => "relay";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        IReadOnlyList<int> levels = options.Streams ?? (options.Quick ? [1, 10] : [1, 50, 500]);
        var tokens = options.Quick ? 30 : 200;
        var rounds = options.Quick ? 2 : 3;
        var answer = string.Join(' ', Enumerable.Range(0, tokens).Select(i => $"w{i}"));
        var tokenEnds = TokenEnds(answer);

        await using var fake = new FakeOpenAiServer { Answer = answer };
        await fake.StartAsync();
        var data = Directory.CreateTempSubdirectory("nova-bench-relay-");
        var report = new BenchReport(Name);
        try
        {
            await using var nova = NovaProcess.Start(data.FullName, Settings(fake));
            await nova.WaitUntilReadyAsync(Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromMinutes(5) };
            var key = await CreateApiKeyAsync(http, nova.BaseAddress);
            var model = await FirstModelAsync(http, nova.BaseAddress, key);
            var streamSeconds = fake.TimeToFirstToken.TotalSeconds + tokens / fake.TokensPerSecond;

            Func<CancellationToken, Task<StreamTrace>> direct = ct => SseReader.ReadAsync(http, () => Request(new Uri(fake.RootUrl, "v1/chat/completions"), "fake-model", null), ct);
            Func<CancellationToken, Task<StreamTrace>> relayed = ct => SseReader.ReadAsync(http, () => Request(new Uri(nova.BaseAddress, "api/v1/chat/completions"), model, key), ct);

            using var novaProcess = Process.GetProcessById(nova.ProcessId);
            await StreamLoad.RunAsync(8, 2, TimeSpan.Zero, direct, CancellationToken.None);
            var warmUpRounds = await WarmUpAsync(novaProcess, relayed, options.Quick ? 2 : MaxWarmUpRounds);
            report.Add("warm-up rounds (25 streams each) until Nova's CPU per stream settled", warmUpRounds, "rounds");
            // Let the warm-up's last writes and background JIT settle before measuring what idling costs.
            await Task.Delay(TimeSpan.FromSeconds(options.Quick ? 1 : 5));
            var idle = await IdleCpuAsync(novaProcess, options.Quick ? 3 : 5);
            report.Add("Nova idle CPU (no requests; timers, health and model list refresh)", idle * 100, "% of a core");
            foreach (var n in levels)
            {
                try
                {
                    await MeasureLevelAsync(report, n, new Setup(rounds, TimeSpan.FromSeconds(streamSeconds), answer, tokenEnds, direct, relayed, novaProcess, idle));
                }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
                {
                    // The other levels' figures still stand; this one is reported as the error it is.
                    report.Errors.Add($"{n} streams: {e.Message}{Environment.NewLine}Nova's last output:{Environment.NewLine}{nova.RecentOutput}");
                }
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
        return report;
    }

    /// <summary>One run's fixed parts: the same streams are read straight from the fake and through Nova.</summary>
    private sealed record Setup(int Rounds, TimeSpan Spread, string Answer, int[] TokenEnds, Func<CancellationToken, Task<StreamTrace>> Direct,
        Func<CancellationToken, Task<StreamTrace>> Relayed, Process Nova, double IdleCores);

    private static async Task MeasureLevelAsync(BenchReport report, int n, Setup setup)
    {
        var backend = RelayFigures.Of(Checked(await StreamLoad.RunAsync(n, setup.Rounds, setup.Spread, setup.Direct, CancellationToken.None), setup.Answer),
            setup.TokenEnds);
        setup.Nova.Refresh();
        var cpuBefore = setup.Nova.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var traces = Checked(await StreamLoad.RunAsync(n, setup.Rounds, setup.Spread, setup.Relayed, CancellationToken.None), setup.Answer);
        setup.Nova.Refresh();
        // What Nova burns with no request at all is not the relay's cost.
        var cpu = (setup.Nova.TotalProcessorTime - cpuBefore).TotalMicroseconds - setup.IdleCores * clock.Elapsed.TotalMicroseconds;
        var tokens = setup.TokenEnds.Length;
        AddLevel(report, n, backend, RelayFigures.Of(traces, setup.TokenEnds), cpu / (traces.Count * tokens), cpu / traces.Count / 1000, target: n == 50);
    }

    private static void AddLevel(BenchReport report, int n, RelayFigures backend, RelayFigures nova, double cpuPerToken, double cpuPerStreamMs, bool target)
    {
        var ttftP50 = Statistics.Median(nova.Ttft) - Statistics.Median(backend.Ttft);
        var ttftP99 = Statistics.Percentile(nova.Ttft, 99) - Statistics.Percentile(backend.Ttft, 99);
        var delays = nova.AddedTokenDelays(backend);
        var rate = Statistics.Median(nova.TokensPerSecond) / Statistics.Median(backend.TokensPerSecond);
        report
            .Add($"{n} streams: time to first token p50, backend direct / through Nova", Statistics.Median(backend.Ttft), "ms",
                note: $"Nova {Statistics.Median(nova.Ttft):0.0} ms")
            .Add($"{n} streams: time to first token p99, backend direct / through Nova", Statistics.Percentile(backend.Ttft, 99), "ms",
                note: $"Nova {Statistics.Percentile(nova.Ttft, 99):0.0} ms")
            .Add($"{n} streams: added time to first token p50", ttftP50, "ms", target ? new BenchTarget(1) : null)
            .Add($"{n} streams: added time to first token p99", ttftP99, "ms", target ? new BenchTarget(5) : null)
            .Add($"{n} streams: inter-token gap p50 / p99, backend direct", Statistics.Median(backend.Gaps), "ms",
                note: $"p99 {Statistics.Percentile(backend.Gaps, 99):0.0} ms")
            .Add($"{n} streams: inter-token gap p50 / p99, through Nova", Statistics.Median(nova.Gaps), "ms",
                note: $"p99 {Statistics.Percentile(nova.Gaps, 99):0.0} ms")
            .Add($"{n} streams: added delay per token after the first, p50", Statistics.Median(delays), "ms")
            .Add($"{n} streams: added delay per token after the first, p99", Statistics.Percentile(delays, 99), "ms")
            .Add($"{n} streams: delivered / backend tokens per second (median stream)", rate, "ratio", target ? new BenchTarget(0.999, AtLeast: true) : null,
                $"{Statistics.Median(nova.TokensPerSecond):0.00} / {Statistics.Median(backend.TokensPerSecond):0.00} tokens/s")
            .Add($"{n} streams: Nova CPU per token", cpuPerToken, "µs", target ? new BenchTarget(20) : null,
                $"Nova process CPU time over the run, less idle, / tokens delivered; {cpuPerStreamMs:0.0} ms per stream");
    }

    /// <summary>
    /// Warms up connection pools, the database's first pages and the JIT. Tiered compilation compiles a hot
    /// method again twice (instrumented, then optimized) as its calls add up, which goes on well past the
    /// first streams; so rounds go on until one costs Nova no less CPU per stream than 0.9 of the round before.
    /// </summary>
    private static async Task<int> WarmUpAsync(Process nova, Func<CancellationToken, Task<StreamTrace>> relayed, int maxRounds)
    {
        const int streams = 25;
        var previous = double.MaxValue;
        for (var round = 1; ; round++)
        {
            nova.Refresh();
            var before = nova.TotalProcessorTime;
            await StreamLoad.RunAsync(streams, 1, TimeSpan.Zero, relayed, CancellationToken.None);
            nova.Refresh();
            var perStream = (nova.TotalProcessorTime - before) / streams;
            if (round >= maxRounds || round >= 3 && perStream.Ticks >= 0.9 * previous)
            {
                return round;
            }
            previous = perStream.Ticks;
        }
    }

    /// <summary>
    /// Cores Nova keeps busy while nothing is asked of it (0.5 = half a core): the median of one-second windows,
    /// once a window has used under 5 % of a core (or after 30 s). After a short warm-up the JIT goes on compiling
    /// in the background for seconds; measured then, an idle Nova looked busy (77–89 % of a core in --quick runs).
    /// </summary>
    private static async Task<double> IdleCpuAsync(Process nova, int seconds)
    {
        var settling = Stopwatch.StartNew();
        while (settling.Elapsed < TimeSpan.FromSeconds(30) && await CpuOverOneSecondAsync(nova) >= 0.05)
        {
        }
        var windows = new double[seconds];
        for (var i = 0; i < seconds; i++)
        {
            windows[i] = await CpuOverOneSecondAsync(nova);
        }
        return Statistics.Median(windows);
    }

    private static async Task<double> CpuOverOneSecondAsync(Process nova)
    {
        nova.Refresh();
        var before = nova.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(1));
        nova.Refresh();
        return (nova.TotalProcessorTime - before) / clock.Elapsed;
    }

    private static List<StreamTrace> Checked(List<StreamTrace> traces, string answer)
    {
        var wrong = traces.FirstOrDefault(t => t.Length != answer.Length);
        return wrong is null ? traces : throw new InvalidOperationException($"A stream delivered {wrong.Length} characters instead of {answer.Length}.");
    }

    private static int[] TokenEnds(string answer)
    {
        var end = 0;
        return [.. FakeLlmServer.Tokenize(answer).Select(t => end += t.Length)];
    }

    private static Dictionary<string, string> Settings(FakeOpenAiServer fake) => new()
    {
        ["Nova__Llm__Endpoints__0__Name"] = "fake",
        ["Nova__Llm__Endpoints__0__Kind"] = "OpenAI",
        ["Nova__Llm__Endpoints__0__BaseUrl"] = fake.BaseUrl.ToString(),
        ["Nova__Admin__Email"] = Email,
        ["Nova__Admin__Password"] = Password,
        // The bench is one user opening hundreds of streams: lift the per-user limits it would hit.
        ["Nova__Chat__MaxConcurrentGenerationsPerUser"] = "100000",
        ["Nova__RateLimits__ChatRequestsPerMinute"] = "1000000",
        ["Nova__RateLimits__ChatBurst"] = "1000000",
        // A title is a second model call per new chat; it would load the fake, not the relay.
        ["Nova__Chat__GenerateTitles"] = "false",
    };

    private static HttpRequestMessage Request(Uri url, string model, string? key)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Count for me." }),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    private static async Task<string> CreateApiKeyAsync(HttpClient http, Uri nova)
    {
        using var tokenResponse = await http.PostAsJsonAsync(new Uri(nova, "api/v1/auth/token"), new { email = Email, password = Password });
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(nova, "api/v1/auth/keys")) { Content = JsonContent.Create(new { name = "bench" }) };
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var keyResponse = await http.SendAsync(keyRequest);
        keyResponse.EnsureSuccessStatusCode();
        return (await keyResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>The model Nova offers from the fake, once its catalog has listed the fake's models.</summary>
    private static async Task<string> FirstModelAsync(HttpClient http, Uri nova, string key)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(nova, "api/v1/models"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var models = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            if (models.GetArrayLength() > 0)
            {
                return models[0].GetProperty("id").GetString()!;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("Nova lists no model from the fake.");
    }
}

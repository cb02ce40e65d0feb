using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Nova.Bench.Circuits;
using Nova.Fakes;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 2: N people chatting at once, each on a Blazor Server circuit driven by the headless client in
/// <see cref="Circuits"/> (Nova.App as a child process, its model the fake OpenAI server). Every circuit
/// opens /chat, types a question, sends it and receives a streamed answer whose tokens are numbered, so
/// the client can tell when each token reached it. For a few circuits the same runs in Chromium pages.
/// Memory per idle circuit: circuits open on /chat, doing nothing, against none, both after a full GC.
/// </summary>
public sealed class CircuitsScenario : IBenchScenario
{
    private const string Email = "bench@nova.invalid";
    private const string Password = "Bench-password-1";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private const double FakeRate = 50;

    public string Name => "circuits";

    /// <summary>How big a run is: circuits per level, tokens per answer, idle circuits, Chromium pages.</summary>
    private sealed record Plan(int[] Levels, int Tokens, int IdleCircuits, int BrowserPages, int WarmUpCircuits, int MaxWarmUpRounds, TimeSpan Spread);

    // Below this share of Nova's CPU in a warm-up round, the JIT has settled: measured rounds measure Nova, not the JIT.
    private const double SettledJitShare = 0.03;

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var plan = options.Quick
            ? new Plan([5], Tokens: 30, IdleCircuits: 20, BrowserPages: 1, WarmUpCircuits: 2, MaxWarmUpRounds: 1, TimeSpan.FromMilliseconds(200))
            : new Plan([10, 100, 500], Tokens: 250, IdleCircuits: 200, BrowserPages: 10, WarmUpCircuits: 20, MaxWarmUpRounds: 20, TimeSpan.FromSeconds(1));
        plan = options.Circuits is { } levels ? plan with { Levels = [.. levels] } : plan;
        var report = new BenchReport(Name);
        await using var fake = new FakeOpenAiServer { Answer = TaggedAnswer.Build(plan.Tokens), TokensPerSecond = FakeRate };
        await fake.StartAsync();
        var data = Directory.CreateTempSubdirectory("nova-bench-circuits-");
        try
        {
            await using var nova = NovaProcess.Start(data.FullName, Settings(fake));
            await nova.WaitUntilReadyAsync(Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
            using var user = await SignedInUser.SignInAsync(nova.BaseAddress, Email, Password);
            using var novaProcess = Process.GetProcessById(nova.ProcessId);
            var bench = new ChatBench(fake, user, novaProcess, plan.Tokens, plan.Spread, Patience);

            var metrics = new NovaMetrics(user.Http);
            await WarmUpAsync(report, bench, metrics, plan);
            await MeasureIdleCircuitsAsync(report, bench, plan.IdleCircuits, new NovaMemory(nova.ProcessId, metrics), options.DumpDirectory);
            foreach (var n in plan.Levels)
            {
                try
                {
                    var jitBefore = await metrics.JitTimeAsync();
                    var headless = await bench.AnswerAsync($"{n} circuits", n);
                    AddLevel(report, n, plan.Tokens, headless, await metrics.JitTimeAsync() - jitBefore);
                    if (n == plan.Levels[0])
                    {
                        AddBrowserComparison(report, plan.BrowserPages, headless, await bench.AnswerInChromiumAsync("Chromium", plan.BrowserPages));
                    }
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or PlaywrightException)
                {
                    // The other levels' figures still stand; this one is reported as the error it is.
                    report.Errors.Add($"{n} circuits: {e.Message}{Environment.NewLine}Nova's last output:{Environment.NewLine}{nova.RecentOutput}");
                }
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
        return report;
    }

    /// <summary>
    /// Rounds of answers until the JIT has settled: the database's first pages, connection pools, and tiered
    /// compilation, which goes on recompiling hot methods for a minute or more of load. After one warm-up round,
    /// a perf profile of a 100-circuit round found 32% of Nova's CPU on the tiering thread.
    /// </summary>
    private static async Task WarmUpAsync(BenchReport report, ChatBench bench, NovaMetrics metrics, Plan plan)
    {
        var shares = new List<double>();
        do
        {
            var before = await metrics.JitTimeAsync();
            var round = await bench.AnswerAsync("Warm-up", plan.WarmUpCircuits);
            shares.Add((await metrics.JitTimeAsync() - before) / round.NovaCpu);
        }
        while (shares[^1] >= SettledJitShare && shares.Count < plan.MaxWarmUpRounds);
        report.Add($"warm-up rounds of {plan.WarmUpCircuits} answers until the JIT took < {SettledJitShare:P0} of Nova's CPU", shares.Count, "rounds",
            note: $"JIT share per round: {string.Join(", ", shares.Select(s => s.ToString("P0", CultureInfo.InvariantCulture)))}");
    }

    private static async Task MeasureIdleCircuitsAsync(BenchReport report, ChatBench bench, int count, NovaMemory memory, string? dumps)
    {
        var baseline = await memory.AfterFullGcAsync();
        memory.WriteHeapDump(dumps, "nova-no-circuit.dmp");
        var circuits = await ChatLoad.OpenAsync(bench.User, count, bench.Patience);
        try
        {
            var loaded = await memory.AfterFullGcAsync();
            memory.WriteHeapDump(dumps, $"nova-{count}-idle-circuits.dmp");
            var components = circuits[0].Circuit.Query(dom => dom.ComponentCount);
            report
                .Add("Nova working set after a full GC, no circuit", baseline.WorkingSet / 1048576.0, "MB", note: $"GC heap {baseline.GcHeap / 1048576.0:0.0} MB")
                .Add($"Nova working set after a full GC, {count} idle circuits", loaded.WorkingSet / 1048576.0, "MB",
                    note: $"GC heap {loaded.GcHeap / 1048576.0:0.0} MB")
                .Add($"memory per idle circuit (working set with {count} idle circuits on /chat, less none, after a full GC)",
                    (loaded.WorkingSet - baseline.WorkingSet) / 1024.0 / count, "KB", new BenchTarget(150),
                    $"GC heap per circuit {(loaded.GcHeap - baseline.GcHeap) / 1024.0 / count:0.0} KB; {components} components on the page");
        }
        finally
        {
            await ChatLoad.CloseAsync(circuits);
        }
    }

    private static void AddLevel(BenchReport report, int n, int tokens, RoundResult round, TimeSpan jit)
    {
        var lags = round.Lags;
        report
            .Add($"{n} circuits: token-to-render lag p50", lags.P50, "ms", note: $"first token p50 {Statistics.Median(lags.FirstTokenLags):0.0} ms")
            .Add($"{n} circuits: token-to-render lag p99", lags.P99, "ms", n == 500 ? new BenchTarget(200) : null,
                $"first token p99 {Statistics.Percentile(lags.FirstTokenLags, 99):0.0} ms")
            .Add($"{n} circuits: first token's lag p50 / all tokens' lag p50", Statistics.Median(lags.FirstTokenLags) / lags.P50, "ratio", new BenchTarget(1),
                "above 1, the first token waits longer than a coalesced one")
            .Add($"{n} circuits: backend tokens per second per answer (median), as sent", Statistics.Median(lags.BackendTokensPerSecond), "1/s",
                note: $"asked for {FakeRate}; slowest answer {lags.BackendTokensPerSecond.Min():0.0}; round {round.Elapsed.TotalSeconds:0.0} s")
            .Add($"{n} circuits: render batches per second per circuit while answering (median)",
                Statistics.Median([.. round.Answers.Select(a => a.AnswerBatches / Math.Max(a.AnswerSpan.TotalSeconds, 0.001))]), "1/s")
            .Add($"{n} circuits: bytes over the circuit per token (median circuit)",
                Statistics.Median([.. round.Answers.Select(a => a.BytesReceived / (double)tokens)]), "B",
                note: "every hub message from the question to the finished answer, / tokens")
            .Add($"{n} circuits: Nova CPU while answering", round.NovaCores * 100, "% of a core",
                note: $"{round.NovaCpu.TotalMicroseconds / (n * tokens):0} µs per token; bench client {round.ClientCores * 100:0} % of a core")
            .Add($"{n} circuits: JIT compile time during the round / Nova CPU time", jit / round.NovaCpu * 100, "%")
            .Add($"{n} circuits: Nova working set, peak", round.PeakWorkingSet / 1048576.0, "MB");
    }

    private static void AddBrowserComparison(BenchReport report, int pages, RoundResult headless, RoundResult chromium) => report
        .Add($"Chromium, {pages} pages: token-to-DOM lag p50", chromium.Lags.P50, "ms",
            note: $"headless, {headless.Answers.Count} circuits: {headless.Lags.P50:0.0} ms to the batch")
        .Add($"Chromium, {pages} pages: token-to-DOM lag p99", chromium.Lags.P99, "ms", note: $"headless: {headless.Lags.P99:0.0} ms")
        .Add($"Chromium, {pages} pages: Nova CPU while answering", chromium.NovaCores * 100, "% of a core",
            note: $"headless: {headless.NovaCores * 100:0} %; Chromium itself not counted");

    private static Dictionary<string, string> Settings(FakeOpenAiServer fake) => new()
    {
        ["Nova__Llm__Endpoints__0__Name"] = "fake",
        ["Nova__Llm__Endpoints__0__Kind"] = "OpenAI",
        ["Nova__Llm__Endpoints__0__BaseUrl"] = fake.BaseUrl.ToString(),
        ["Nova__Admin__Email"] = Email,
        ["Nova__Admin__Password"] = Password,
        // One user opens every circuit (one person with many tabs): lift the per-user limits that would stop them.
        ["Nova__Chat__MaxConcurrentGenerationsPerUser"] = "100000",
        ["Nova__RateLimits__ChatRequestsPerMinute"] = "1000000",
        ["Nova__RateLimits__ChatBurst"] = "1000000",
        // A title is a second model call per new chat; it would load the fake, not the circuits.
        ["Nova__Chat__GenerateTitles"] = "false",
        // The fake shares the bench's process with hundreds of client circuits; a model list it answers late
        // must not take the model out of service mid-run (see the relay's 500 streams in benchmarks.md).
        ["Nova__Llm__RefreshInterval"] = "01:00:00",
    };
}

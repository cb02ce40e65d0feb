using System.Diagnostics;
using Microsoft.Playwright;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Process start to /health/ready (on a fresh database, which migrates, and again on the same
/// database), and the first page's time to interactive in Chromium: navigation until the Blazor
/// circuit's first render batch arrives over its WebSocket.
/// </summary>
public sealed class StartupScenario : IBenchScenario
{
    public string Name => "startup";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var runs = options.Quick ? 1 : 5;
        var fresh = new List<double>();
        var warm = new List<double>();
        var interactive = new List<double>();
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            for (var run = 0; run < runs; run++)
            {
                var data = Directory.CreateTempSubdirectory("nova-bench-startup-");
                try
                {
                    fresh.Add((await StartAndMeasureAsync(data.FullName, null)).ReadyMs);
                    var (readyMs, interactiveMs) = await StartAndMeasureAsync(data.FullName, browser);
                    warm.Add(readyMs);
                    interactive.Add(interactiveMs);
                }
                finally
                {
                    data.Delete(recursive: true);
                }
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
        return new BenchReport(Name)
            .Add("start to ready, fresh database (median)", Statistics.Median(fresh), "ms")
            .Add("start to ready, existing database (median)", Statistics.Median(warm), "ms")
            .Add("first page to interactive (median)", Statistics.Median(interactive), "ms");
    }

    private static async Task<(double ReadyMs, double InteractiveMs)> StartAndMeasureAsync(string dataDirectory, IBrowser? browser)
    {
        var clock = Stopwatch.StartNew();
        await using var nova = NovaProcess.Start(dataDirectory);
        var ready = await nova.WaitUntilReadyAsync(clock, TimeSpan.FromMinutes(2));
        var interactive = browser is null ? double.NaN : await TimeToInteractiveAsync(browser, nova.BaseAddress);
        return (ready.TotalMilliseconds, interactive);
    }

    private static async Task<double> TimeToInteractiveAsync(IBrowser browser, Uri baseAddress)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        var firstBatch = new TaskCompletionSource<double>();
        var clock = Stopwatch.StartNew();
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("_blazor", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, frame) => firstBatch.TrySetResult(clock.Elapsed.TotalMilliseconds);
            }
        };
        // Any interactive page will do; this one needs no account.
        await page.GotoAsync("not-found");
        return await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

using Microsoft.Playwright;

namespace Nova.Bench.Scenarios;

/// <summary>
/// What the animated background costs the browser: CPU of Chromium's whole process tree with the
/// scene idle (settled after the chat went quiet), with it showing a stream, and with effects turned
/// off (the limit: a page without the scene), one after the other on the same page. Chromium renders WebGL on the CPU here
/// (SwiftShader), so this is the worst case; with a GPU the scene's share is smaller.
/// </summary>
public sealed class SceneScenario : IBenchScenario
{
    private const string StatePath = "/js/nova-state.js";

    public string Name => "scene";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var window = TimeSpan.FromSeconds(options.Quick ? 3 : 10);
        var rounds = options.Quick ? 1 : 3;
        var data = Directory.CreateTempSubdirectory("nova-bench-scene-");
        var marker = $"--nova-bench={Guid.NewGuid():N}";
        var (playwright, browser) = await Chromium.LaunchAsync(marker);
        try
        {
            await using var nova = NovaProcess.Start(data.FullName);
            await nova.WaitUntilReadyAsync(System.Diagnostics.Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
            var cpu = ProcessTreeCpu.FindByCommandLine(marker);
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = nova.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            });
            var page = await context.NewPageAsync();
            // The sign-in page needs no account and has the scene behind it like every page.
            await page.GotoAsync("Account/Login");
            var scene = page.GetByTestId("nova-scene");
            await Assertions.Expect(scene).ToHaveAttributeAsync("data-mode", "animated", new() { Timeout = 120_000 });

            List<double> idle = [], streaming = [], off = [];
            for (var round = 0; round < rounds; round++)
            {
                await SetAsync(page, "setEffectsEnabled(true); m.setChatState('idle')");
                await Assertions.Expect(scene).ToHaveAttributeAsync("data-mode", "animated", new() { Timeout = 60_000 });
                // A quiet chat: the scene has settled after its last change (a few seconds).
                await Assertions.Expect(scene).ToHaveAttributeAsync("data-motion", "resting", new() { Timeout = 60_000 });
                idle.Add(await SettleAndMeasureAsync(cpu, window));

                await SetAsync(page, "setChatState('streaming')");
                streaming.Add(await SettleAndMeasureAsync(cpu, window));

                await SetAsync(page, "setEffectsEnabled(false); m.setChatState('idle')");
                await Assertions.Expect(scene).ToHaveAttributeAsync("data-mode", "off");
                off.Add(await SettleAndMeasureAsync(cpu, window));
            }
            var withoutScene = Statistics.Median(off);
            // "A few percent of a core at most" for an idle chat, on top of the page without the scene.
            return new BenchReport(Name)
                .Add("browser CPU, scene idle (median)", Statistics.Median(idle), "% of a core", new BenchTarget(withoutScene + 3),
                    $"effects off: {withoutScene:0.#} %")
                .Add("browser CPU, scene streaming (median)", Statistics.Median(streaming), "% of a core", note: "software WebGL: every pixel on the CPU")
                .Add("browser CPU, effects off (median)", withoutScene, "% of a core");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            data.Delete(recursive: true);
        }
    }

    private static Task SetAsync(IPage page, string calls) =>
        page.EvaluateAsync($"async () => {{ const m = await import('{StatePath}'); m.{calls}; }}");

    private static async Task<double> SettleAndMeasureAsync(ProcessTreeCpu cpu, TimeSpan window)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return await cpu.MeasurePercentAsync(window);
    }
}

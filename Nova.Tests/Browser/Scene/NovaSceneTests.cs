using Microsoft.Playwright;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Scene;

/// <summary>
/// The NovaScene in the real app with software WebGL (SwiftShader). The chat is played by calling
/// nova-state.js from the page, as the chat component does through JS interop.
/// </summary>
public sealed class NovaSceneTests(BrowserFixture browser) : NovaBrowserTest(browser)
{
    private const string StateModule = "./js/nova-state.js";

    // Chromium renders WebGL on the CPU here, on two busy cores.
    private static readonly LocatorAssertionsToHaveAttributeOptions SceneStart = new() { Timeout = 60_000 };

    [Fact]
    public async Task TheSceneDrawsParticlesMovesWhileStreamingRestsWhenTheChatIsQuietAndWakesAgain()
    {
        var page = await OpenSceneOnlyAsync(Browser.Browser, new BrowserNewContextOptions());
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);

        // A busy chat keeps the scene moving however slow the machine; an idle one may already rest.
        await SetChatStateAsync(page, "streaming");
        await Expect(scene).ToHaveAttributeAsync("data-motion", "moving");
        var first = await scene.ScreenshotAsync();
        Assert.True(await DetailAsync(page, first) > 0.004, "The canvas shows no particles, only a smooth background.");
        Assert.NotEqual(first, await WaitForChangeAsync(scene, first));

        // An idle chat costs nothing: the picture settles and no more frames are drawn.
        await SetChatStateAsync(page, "idle");
        await Expect(scene).ToHaveAttributeAsync("data-motion", "resting", new() { Timeout = 20_000 });
        var resting = await scene.ScreenshotAsync();
        await Task.Delay(500);
        Assert.Equal(resting, await scene.ScreenshotAsync());

        await SetChatStateAsync(page, "streaming");
        await Expect(scene).ToHaveAttributeAsync("data-motion", "moving");
        Assert.NotEqual(resting, await WaitForChangeAsync(scene, resting));
    }

    [Fact]
    public async Task ReducedMotionGivesAStillPictureThatFollowsTheChatState()
    {
        var page = await OpenSceneOnlyAsync(Browser.Browser, new BrowserNewContextOptions { ReducedMotion = ReducedMotion.Reduce });
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "still", SceneStart);

        var idle = await scene.ScreenshotAsync();
        await page.WaitForTimeoutAsync(1000);
        var idleLater = await scene.ScreenshotAsync();
        Assert.Equal(idle, idleLater);

        await SetChatStateAsync(page, "streaming");
        await Expect(scene).ToHaveAttributeAsync("data-state", "streaming");
        var streaming = await scene.ScreenshotAsync();
        Assert.NotEqual(idle, streaming);
        Assert.True(await DetailAsync(page, streaming) > 0.01, "The still frame shows no particles.");
    }

    [Fact]
    public async Task TheChatStateReachesTheSceneThroughTheSharedModule()
    {
        var page = await OpenSceneOnlyAsync(Browser.Browser, new BrowserNewContextOptions());
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);

        foreach (var state in new[] { "thinking", "streaming", "error", "idle" })
        {
            await SetChatStateAsync(page, state);
            await Expect(scene).ToHaveAttributeAsync("data-state", state);
        }
        await page.EvaluateAsync($"async () => {{ const m = await import('{StateModule}'); m.setChatState('thinking'); m.reportTokens(12); }}");
        await Expect(scene).ToHaveAttributeAsync("data-state", "streaming");
        var rate = await page.EvaluateAsync<double>($"async () => (await import('{StateModule}')).getTokenRate()");
        Assert.Equal(6, rate);
    }

    [Fact]
    public async Task TheTokenRateIsMeasuredFromTextWrittenIntoTheStreamingAnswer()
    {
        var page = await OpenSceneOnlyAsync(Browser.Browser, new BrowserNewContextOptions());
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);
        await SetChatStateAsync(page, "thinking");

        // As Blazor writes an answer: a text node added, then grown; text anywhere else does not count.
        var rate = await page.EvaluateAsync<double>($$"""
            async () => {
                const state = await import('{{StateModule}}');
                const settle = () => new Promise(resolve => setTimeout(resolve));
                const answer = Object.assign(document.createElement('div'), { className: 'nova-message-assistant' });
                answer.dataset.status = 'streaming';
                const paragraph = answer.appendChild(document.createElement('p'));
                document.body.append(answer);
                await settle();
                const text = paragraph.appendChild(document.createTextNode('x'.repeat(40)));
                await settle();
                text.data += 'y'.repeat(40);
                await settle();
                document.body.append(Object.assign(document.createElement('p'), { textContent: 'z'.repeat(400) }));
                answer.dataset.status = 'completed';
                await settle();
                text.data += 'w'.repeat(400);
                await settle();
                return state.getTokenRate();
            }
            """);

        Assert.Equal(10, rate); // 80 characters, 20 tokens, over the two-second window
        await Expect(scene).ToHaveAttributeAsync("data-state", "streaming");
    }

    [Fact]
    public async Task EffectsOffMeansNoWebGlAndTheChoiceIsRemembered()
    {
        var page = await OpenSceneOnlyAsync(Browser.Browser, new BrowserNewContextOptions());
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);

        await page.EvaluateAsync($"async () => (await import('{StateModule}')).setEffectsEnabled(false)");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "off");
        await Expect(scene.Locator("canvas")).ToHaveCountAsync(0);
        Assert.Equal("off", await page.EvaluateAsync<string>("localStorage.getItem('nova.effects')"));

        await page.ReloadAsync();
        await Expect(scene).ToHaveAttributeAsync("data-mode", "off", SceneStart);
        await Expect(scene.Locator("canvas")).ToHaveCountAsync(0);

        await page.EvaluateAsync($"async () => (await import('{StateModule}')).setEffectsEnabled(true)");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);
        await Expect(scene.Locator("canvas")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task WithoutWebGlThePageWorksOnTheGradient()
    {
        await using var noWebGl = await Browser.LaunchAsync("--disable-webgl", "--disable-3d-apis");
        var page = await OpenAsync(noWebGl, new BrowserNewContextOptions());
        var scene = page.GetByTestId("nova-scene");

        await Expect(scene).ToHaveAttributeAsync("data-mode", "fallback", SceneStart);
        await Expect(scene.Locator("canvas")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("login-email")).ToBeVisibleAsync();
        var background = await scene.EvaluateAsync<string>("e => getComputedStyle(e).backgroundImage");
        Assert.Contains("gradient", background, StringComparison.Ordinal);
        await ScreenshotAsync(page, "scene-fallback");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task TheSceneFollowsTheTheme(string theme)
    {
        var context = await Browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        await context.AddCookiesAsync([new Cookie { Name = "nova-theme", Value = theme, Url = BaseAddress.ToString() }]);
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        var scene = page.GetByTestId("nova-scene");
        await Expect(scene).ToHaveAttributeAsync("data-mode", "animated", SceneStart);
        await Expect(scene).ToHaveAttributeAsync("data-theme", theme);

        await SetChatStateAsync(page, "streaming");
        await ScreenshotAsync(page, $"scene-{theme}");

        var other = theme == "light" ? "dark" : "light";
        await page.EvaluateAsync($"t => document.documentElement.dataset.theme = t", other);
        await Expect(scene).ToHaveAttributeAsync("data-theme", other);
    }

    private async Task<IPage> OpenAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        options.BaseURL = BaseAddress.ToString();
        options.ViewportSize = new ViewportSize { Width = 1280, Height = 800 };
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        return page;
    }

    /// <summary>Hides the page above the scene, so that screenshots show the scene alone.</summary>
    private async Task<IPage> OpenSceneOnlyAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        var page = await OpenAsync(browser, options);
        await page.AddStyleTagAsync(new() { Content = "body > :not(.nova-scene) { visibility: hidden !important; }" });
        return page;
    }

    private static Task SetChatStateAsync(IPage page, string state) =>
        page.EvaluateAsync($"async s => (await import('{StateModule}')).setChatState(s)", state);

    private static async Task<byte[]> WaitForChangeAsync(ILocator scene, byte[] before)
    {
        // Screenshots are the signal here: the first one that differs proves the scene moves.
        // Bounded by time, not attempts: on a loaded machine a software-WebGL frame can take long.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var now = await scene.ScreenshotAsync();
            if (!now.AsSpan().SequenceEqual(before))
            {
                return now;
            }
        }
        return before;
    }

    /// <summary>The share of pixels that differ clearly from their left neighbour: ~0 for a gradient.</summary>
    private static Task<double> DetailAsync(IPage page, byte[] png) => page.EvaluateAsync<double>("""
        async base64 => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
            const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
            const context = canvas.getContext('2d');
            context.drawImage(bitmap, 0, 0);
            const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
            let sharp = 0, count = 0;
            for (let i = 4; i < data.length; i += 4) {
                const step = Math.abs(data[i] - data[i - 4]) + Math.abs(data[i + 1] - data[i - 3]) + Math.abs(data[i + 2] - data[i - 2]);
                if (step > 12) sharp++;
                count++;
            }
            return sharp / count;
        }
        """, Convert.ToBase64String(png));
}

using Microsoft.Playwright;

namespace Nova.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright, one browser per test class; each test takes fresh contexts.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing. Run ./test.sh, which installs Debian's chromium.");
        }
        // Test classes run side by side on two cores, where a render can take seconds; a wrong state still fails.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync();
    }

    /// <summary>Another Chromium with extra switches (e.g. WebGL off), for tests that need a differently built browser.</summary>
    public Task<IBrowser> LaunchAsync(params string[] extraArgs) =>
        _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-unsafe-swiftshader", "--use-angle=swiftshader", .. extraArgs,
            ],
        });

    public async Task<IPage> NewPageAsync(Uri baseAddress, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

using Microsoft.Playwright;

namespace Nova.Bench;

/// <summary>Debian's Chromium through Playwright, launched as the browser tests launch it.</summary>
public static class Chromium
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] extraArguments)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--enable-unsafe-swiftshader",
                .. extraArguments,
            ],
        });
        return (playwright, browser);
    }
}

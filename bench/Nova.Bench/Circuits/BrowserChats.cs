using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Nova.Bench.Circuits;

/// <summary>
/// The same chat in real Chromium pages, for comparison with the headless circuits: each page notes, with
/// a MutationObserver, when each token of a <see cref="TaggedAnswer"/> first appeared in the page's DOM
/// (the batch applied, before paint). The 3D scene is switched off as a user can, so the pages measure
/// the circuit rather than software WebGL.
/// </summary>
public static class BrowserChats
{
    private const string TokenObserver = """
        localStorage.setItem('nova.effects', 'off');
        window.__novaTokens = [];
        let highest = -1;
        new MutationObserver(() => {
            const answers = document.querySelectorAll('[data-testid="message-assistant"]');
            if (answers.length === 0) return;
            let max = -1;
            for (const m of answers[answers.length - 1].textContent.matchAll(/\btok(\d+)\b/g)) max = Math.max(max, Number(m[1]));
            if (max <= highest) return;
            const now = performance.timeOrigin + performance.now();
            for (let i = highest + 1; i <= max; i++) window.__novaTokens.push([i, now]);
            highest = max;
        }).observe(document, { subtree: true, childList: true, characterData: true });
        """;

    public static async Task<List<AnsweredCircuit>> AskAsync(SignedInUser user, int count, Func<int, string> question, int lastToken, TimeSpan spread, TimeSpan timeout)
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = user.BaseAddress.ToString() });
            await context.AddCookiesAsync(user.Cookies.GetAllCookies().Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = user.BaseAddress.ToString() }));
            await context.AddInitScriptAsync(TokenObserver);
            var pages = new List<IPage>();
            for (var i = 0; i < count; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync("chat");
                await page.Locator(".nova-layout[data-interactive=true]").WaitForAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
                pages.Add(page);
            }
            var answers = pages.Select(async (page, i) =>
            {
                await Task.Delay(spread * i / count);
                await page.GetByTestId("chat-input").FillAsync(question(i));
                await page.GetByTestId("send").ClickAsync();
                await page.Locator($"[data-testid=message-assistant][data-status=completed]:has-text('tok{lastToken}')")
                    .WaitForAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
                var seen = await page.EvaluateAsync<JsonElement>("window.__novaTokens");
                return new AnsweredCircuit(question(i), [.. seen.EnumerateArray().Select(t => new TokenArrival(t[0].GetInt32(), ToTimestamp(t[1].GetDouble())))],
                    0, 0, TimeSpan.Zero);
            });
            return [.. await Task.WhenAll(answers)];
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>A browser time (milliseconds since the Unix epoch, from the same system clock) as a Stopwatch timestamp.</summary>
    private static long ToTimestamp(double unixMs)
    {
        var nowTicks = Stopwatch.GetTimestamp();
        var nowMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        return nowTicks - (long)((nowMs - unixMs) / 1000 * Stopwatch.Frequency);
    }
}

using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Chat;

public sealed class HostileOutputTests(BrowserFixture browser) : ChatBrowserTest(browser)
{
    [Fact]
    public async Task HostileModelOutputNeverRunsScriptNorLoadsARemoteImage()
    {
        var requested = new List<string>();
        Page.Request += (_, request) => requested.Add(request.Url);
        var exfiltration = new Uri(BaseAddress, "exfiltrate.png?secret=42");
        Model.Answer =
            "<script>window.pwned = 1</script>\n\n" +
            "<img src=x onerror=\"window.pwned = 2\">\n\n" +
            $"![logo]({exfiltration})\n\n" +
            "[click me](javascript:window.pwned=3) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com)\n";

        await SendAsync(Page, "Be evil");
        await Expect(LastAnswer(Page)).ToHaveAttributeAsync("data-status", "completed");

        Assert.Null(await Page.EvaluateAsync<int?>("window.pwned ?? null"));
        await Expect(LastAnswer(Page).Locator("img")).ToHaveCountAsync(0);
        await Expect(LastAnswer(Page).Locator("script")).ToHaveCountAsync(0);
        await Expect(LastAnswer(Page).Locator("a[href^='javascript'], a[href^='data']")).ToHaveCountAsync(0);
        await Expect(LastAnswer(Page).Locator("a[href='https://example.com']")).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
        Assert.DoesNotContain(requested, url => url.Contains("exfiltrate", StringComparison.Ordinal));
    }
}

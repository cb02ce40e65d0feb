using Microsoft.Playwright;
using Nova.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Nova.Tests.Browser.Foundation;

/// <summary>The pages users reach work under Nova's Content-Security-Policy, with nothing refused.</summary>
public sealed class ContentSecurityPolicyTests(BrowserFixture browser) : NovaBrowserTest(browser)
{
    [Fact]
    public async Task SignInChatWithItsSceneAndTheAdminPagesRunWithoutAViolation()
    {
        var page = await NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await page.Context.AddInitScriptAsync(
            "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");

        await page.GotoAsync("Account/Login");
        violations.AddRange(await ReportedAsync(page));
        await RegisterAsync(page, "admin@example.com");
        await GoToAsync(page, "chat");
        await Expect(page.GetByTestId("nova-scene")).Not.ToHaveAttributeAsync("data-mode", "loading", new() { Timeout = 60_000 });
        violations.AddRange(await ReportedAsync(page));
        await GoToAsync(page, "admin/documents");
        violations.AddRange(await ReportedAsync(page));
        await GoToAsync(page, "admin/users");
        violations.AddRange(await ReportedAsync(page));

        Assert.Empty(violations);
        var policy = (await page.APIRequest.GetAsync(new Uri(BaseAddress, "chat").ToString())).Headers["content-security-policy"];
        Assert.Contains("script-src 'self' 'nonce-", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }

    private static async Task<IReadOnlyList<string>> ReportedAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("window.__cspViolations ?? []");
}

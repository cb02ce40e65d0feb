using System.Text.Json;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Browser.Foundation;

public sealed class InstallableAppTests(BrowserFixture browser) : NovaBrowserTest(browser)
{
    [Fact]
    public async Task ThePageLinksAWebAppManifestWhoseIconsLoad()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("Account/Login");

        var href = await page.Locator("link[rel=manifest]").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(new Uri(BaseAddress, href).ToString());
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/manifest+json", response.Headers["content-type"], StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(await response.TextAsync());
        Assert.Equal("Nova", manifest.RootElement.GetProperty("name").GetString());
        Assert.Equal("standalone", manifest.RootElement.GetProperty("display").GetString());

        var icons = manifest.RootElement.GetProperty("icons").EnumerateArray().ToList();
        Assert.Contains(icons, i => i.GetProperty("sizes").GetString() == "512x512");
        foreach (var icon in icons)
        {
            var image = await page.APIRequest.GetAsync(new Uri(BaseAddress, icon.GetProperty("src").GetString()).ToString());
            Assert.Equal(200, image.Status);
            Assert.Equal(icon.GetProperty("type").GetString(), image.Headers["content-type"]);
        }
    }
}

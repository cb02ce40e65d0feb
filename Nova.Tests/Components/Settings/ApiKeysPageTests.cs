using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Nova.App.Components.Pages.Settings;
using Nova.Services.Identity.ApiKeys;

namespace Nova.Tests.Components.Settings;

public sealed class ApiKeysPageTests : SignedInComponentTest
{
    private ApiKeyService _keys = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _keys = Host.Services.GetRequiredService<ApiKeyService>();
        Context.Services.AddSingleton(_keys);
        Context.AddAuthorization().SetAuthorized("user@example.com").SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId));
    }

    [Fact]
    public void ThePageSaysThatChangingThePasswordRevokesAllKeys()
    {
        var page = Context.Render<ApiKeys>();

        Assert.Equal("Changing your password revokes all your API keys.", page.Find("[data-testid=api-key-password-note]").TextContent);
    }

    [Fact]
    public async Task ACreatedKeyIsShownOnceInADialogAndListedByItsPrefix()
    {
        var dialogs = Context.Render<MudDialogProvider>();
        var page = Context.Render<ApiKeys>();

        page.Find("input[data-testid=api-key-name]").Input("laptop scripts");
        await page.Find("form").SubmitAsync();

        var shown = dialogs.WaitForElement("input[data-testid=api-key-value]").GetAttribute("value")!;
        Assert.True(ApiKeyFormat.LooksLikeKey(shown));
        var listed = Assert.Single(await _keys.ListAsync(UserId));
        Assert.Equal("laptop scripts", listed.Name);
        Assert.Equal(ApiKeyFormat.Prefix(shown), listed.Prefix);
        page.WaitForAssertion(() => Assert.Contains(listed.Prefix + "…", page.Find("[data-testid=api-key-table]").TextContent));
        Assert.DoesNotContain(shown, page.Markup);

        dialogs.Find("[data-testid=api-key-done]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=api-key-value]")));
    }

    [Fact]
    public async Task RevokingAsksFirstAndThenRemovesTheKey()
    {
        await _keys.CreateAsync(UserId, "old script");
        var dialogs = Context.Render<MudDialogProvider>();
        var page = Context.Render<ApiKeys>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=api-key-row]")));

        page.Find("[data-testid=api-key-revoke]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Programs using it stop working at once", dialogs.Markup));
        Assert.Single(await _keys.ListAsync(UserId));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=api-key-row]")));
        Assert.Empty(await _keys.ListAsync(UserId));
    }
}

using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using Nova.App.Components.Pages.Settings;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Services.Identity.ApiKeys;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Components.Settings;

public sealed class ApiKeysPageTests : NovaComponentTest
{
    private TestDatabase _database = default!;
    private IHost _host = default!;
    private ApiKeyService _keys = default!;
    private string _userId = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        _host = await NovaServices.StartAsync(_database);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync("user@example.com", "Str0ng!Passw0rd", null);
            _userId = result.User!.Id;
        }
        _keys = _host.Services.GetRequiredService<ApiKeyService>();
        Context.Services.AddSingleton(_keys);
        Context.AddAuthorization().SetAuthorized("user@example.com").SetClaims(new Claim(ClaimTypes.NameIdentifier, _userId));
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
        var listed = Assert.Single(await _keys.ListAsync(_userId));
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
        await _keys.CreateAsync(_userId, "old script");
        var dialogs = Context.Render<MudDialogProvider>();
        var page = Context.Render<ApiKeys>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=api-key-row]")));

        page.Find("[data-testid=api-key-revoke]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Programs using it stop working at once", dialogs.Markup));
        Assert.Single(await _keys.ListAsync(_userId));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=api-key-row]")));
        Assert.Empty(await _keys.ListAsync(_userId));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _host.Dispose();
        _database.Dispose();
    }
}

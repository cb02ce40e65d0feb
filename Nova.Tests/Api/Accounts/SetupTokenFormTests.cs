using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Accounts;

/// <summary>The Register page when Nova listens on a network address and has no admin yet.</summary>
public sealed class SetupTokenFormTests
{
    [Fact]
    public async Task TheFirstAccountOnANetworkAddressIsCreatedOnlyWithTheSetupTokenAndLaterOnesAreNotAsked()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var nova = new NovaAppFactory(database);
        await using var reachable = nova.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<INetworkExposure>(new Reachable())));
        var token = reachable.Services.GetRequiredService<FirstAccountSetup>().Token;
        using var first = Browser(reachable);

        var form = await first.GetAsync("/Account/Register");
        var refused = await first.RegisterAsync("first@example.com");
        var created = await first.SubmitAsync("/Account/Register", [.. AccountForms.Registration("first@example.com"), ("Input.SetupToken", token)]);
        using var second = Browser(reachable);
        var later = await second.GetAsync("/Account/Register");

        Assert.NotNull(form.Document.QuerySelector("[data-testid=register-setup-token]"));
        Assert.Equal(FirstAccountSetup.RefusedMessage, refused.TestIdText("account-status"));
        Assert.Equal("/", created.Path);
        Assert.True(await first.IsSignedInAsync());
        Assert.Null(later.Document.QuerySelector("[data-testid=register-setup-token]"));
        Assert.Equal("/", (await second.RegisterAsync("second@example.com")).Path);
    }

    private static FormBrowser Browser(WebApplicationFactory<Program> app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private sealed class Reachable : INetworkExposure
    {
        public bool IsReachableFromNetwork => true;
    }
}

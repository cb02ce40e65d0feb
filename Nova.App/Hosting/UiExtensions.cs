using MudBlazor.Services;
using Nova.App.Components.Chat;
using Nova.App.Components.Settings;

namespace Nova.App.Hosting;

internal static class UiExtensions
{
    /// <summary>Razor components (server-interactive pages, the WebAssembly scene) and MudBlazor.</summary>
    public static IHostApplicationBuilder AddNovaUi(this IHostApplicationBuilder builder)
    {
        var components = builder.Services.AddRazorComponents();
        components.AddInteractiveWebAssemblyComponents().AddAuthenticationStateSerialization();
        components.AddInteractiveServerComponents()
            // Room for a long prompt; the chat input keeps anything larger in the browser.
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 512 * 1024);
        builder.Services.AddMudServices();
        builder.Services.AddScoped<ChatEvents>();
        builder.Services.AddScoped<SceneSignals>();
        builder.Services.AddScoped<PreferencesState>();
        return builder;
    }
}

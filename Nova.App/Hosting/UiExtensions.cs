using MudBlazor.Services;
using Nova.App.Components.Chat;
using Nova.App.Components.Settings;
using Nova.Services.Chat;

namespace Nova.App.Hosting;

internal static class UiExtensions
{
    /// <summary>Razor components (server-interactive pages).</summary>
    public static IHostApplicationBuilder AddNovaUi(this IHostApplicationBuilder builder)
    {
        var components = builder.Services.AddRazorComponents();
        // The longest message a user may type decides how large a circuit message may be; its bound is checked at start.
        var chat = builder.Configuration.GetSection(NovaChatOptions.Section).Get<NovaChatOptions>() ?? new NovaChatOptions();
        components.AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = CircuitTextLimits.HubMessageBytes(chat.MaxInputChars));
        builder.Services.AddMudServices();
        builder.Services.AddScoped<ChatEvents>();
        builder.Services.AddScoped<SceneSignals>();
        builder.Services.AddScoped<PreferencesState>();
        return builder;
    }
}

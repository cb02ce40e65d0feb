using Microsoft.Extensions.DependencyInjection;
using Nova.App.Components.Chat;
using Nova.Tests.Unit.Chat;
using Nova.Tests.Unit.Markdown;

namespace Nova.Tests.Components.Chat;

internal static class ChatComponentServices
{
    /// <summary>What the chat's message components inject, from a <see cref="ChatHost"/>.</summary>
    public static IServiceCollection AddChatComponents(this IServiceCollection services, ChatHost chat)
    {
        services.AddSingleton(chat.Registry);
        services.AddSingleton(chat.Chat);
        services.AddSingleton(MarkdownTestRenderer.Create());
        services.AddScoped<SceneSignals>();
        return services;
    }
}

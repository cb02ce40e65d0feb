using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Nova.Services.Chat;

public static class ChatExtensions
{
    /// <summary>
    /// Conversations and generations: <see cref="ChatService"/> (scoped) and <see cref="GenerationRegistry"/>
    /// (singleton), with <see cref="NovaChatOptions"/> from <c>Nova:Chat</c>. Needs <c>AddNovaData</c>
    /// and an <see cref="Llm.IModelRouter"/>. At start, after migrating, the host calls
    /// <see cref="GenerationRegistry.RecoverInterruptedAsync"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNovaChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NovaChatOptions>().BindConfiguration(NovaChatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NovaChatOptions>, NovaChatOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GenerationRegistry>();
        builder.Services.AddHostedService<GenerationShutdown>();
        builder.Services.AddScoped<ChatService>();
        return builder;
    }
}

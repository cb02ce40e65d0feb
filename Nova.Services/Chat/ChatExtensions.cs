using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nova.Services.Chat.Grounding;
using Nova.Services.RateLimiting;

namespace Nova.Services.Chat;

public static class ChatExtensions
{
    /// <summary>
    /// Conversations and generations: <see cref="ChatService"/> (scoped), <see cref="GenerationRegistry"/>, <see cref="StatelessCompletions"/>,
    /// <see cref="ChatGrounding"/> and <see cref="SourceReader"/> (singletons), with <see cref="NovaChatOptions"/>
    /// from <c>Nova:Chat</c>, and the per-user chat allowance (<see cref="IChatRateLimiter"/>, <c>Nova:RateLimits</c>)
    /// that every new answer draws from. Needs <c>AddNovaData</c>, <c>AddNovaRag</c> and an <see cref="Llm.IModelRouter"/>.
    /// At start, after migrating, the host calls <see cref="GenerationRegistry.RecoverInterruptedAsync"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNovaChat(this IHostApplicationBuilder builder)
    {
        builder.AddNovaRateLimits();
        builder.Services.AddOptions<NovaChatOptions>().BindConfiguration(NovaChatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NovaChatOptions>, NovaChatOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatGrounding>();
        builder.Services.AddSingleton<SourceReader>();
        builder.Services.AddSingleton<GenerationRegistry>();
        builder.Services.AddHostedService<GenerationShutdown>();
        builder.Services.AddScoped<ChatService>();
        builder.Services.AddSingleton<StatelessCompletions>();
        return builder;
    }
}

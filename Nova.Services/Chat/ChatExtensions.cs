using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nova.Services.Chat.Grounding;
using Nova.Services.Hosting.Replicas;
using Nova.Services.RateLimiting;

namespace Nova.Services.Chat;

public static class ChatExtensions
{
    /// <summary>
    /// Conversations and generations: <see cref="ChatService"/> (scoped), <see cref="GenerationRegistry"/>, <see cref="StatelessCompletions"/>,
    /// <see cref="ChatGrounding"/> and <see cref="SourceReader"/> (singletons), with <see cref="NovaChatOptions"/>
    /// from <c>Nova:Chat</c>, and the per-user chat allowance (<see cref="IChatRateLimiter"/>, <c>Nova:RateLimits</c>)
    /// that every new answer draws from. Needs <c>AddNovaData</c>, <c>AddNovaRag</c> and an <see cref="Llm.IModelRouter"/>.
    /// The registry is orphaned work: the replica heartbeat (<c>AddNovaData</c>) ends, at start and after every beat,
    /// the answers of replicas that are gone (<see cref="GenerationRegistry.RecoverInterruptedAsync"/>).
    /// </summary>
    public static IHostApplicationBuilder AddNovaChat(this IHostApplicationBuilder builder)
    {
        builder.AddNovaRateLimits();
        builder.Services.AddOptions<NovaChatOptions>().BindConfiguration(NovaChatOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NovaChatOptions>, NovaChatOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatGrounding>();
        builder.Services.AddSingleton<SourceReader>();
        builder.Services.AddSingleton<SharedGenerationCount>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SharedGenerationCount>());
        builder.Services.AddSingleton<GenerationRegistry>();
        builder.Services.AddSingleton<IOrphanedWork>(sp => sp.GetRequiredService<GenerationRegistry>());
        builder.Services.AddHostedService<GenerationShutdown>();
        builder.Services.AddScoped<ChatService>();
        builder.Services.AddSingleton<StatelessCompletions>();
        return builder;
    }
}

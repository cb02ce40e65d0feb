using Microsoft.Extensions.Hosting;

namespace Nova.Services.Chat;

/// <summary>
/// Stops running generations when the host stops, before the container is disposed: their final
/// writes need the database services, which are gone by the time singletons are disposed.
/// </summary>
internal sealed class GenerationShutdown(GenerationRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => registry.ShutdownAsync();
}

using Bunit;
using MudBlazor.Services;

namespace Nova.Tests.Components;

/// <summary>
/// One bUnit context per test with MudBlazor registered and JS interop loose. Disposed
/// asynchronously: MudBlazor's popover service only implements IAsyncDisposable.
/// </summary>
public abstract class NovaComponentTest : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();

    public virtual Task InitializeAsync()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}

using Bunit;
using MudBlazor.Services;

namespace Nova.Tests.Components;

/// <summary>
/// One bUnit context per test with MudBlazor registered and JS interop loose. Disposed
/// asynchronously: MudBlazor's popover service only implements IAsyncDisposable.
/// </summary>
public abstract class NovaComponentTest : IAsyncLifetime
{
    // bUnit's default of one second is too short on two cores shared with browser tests: a wait that
    // checks once and gives up (check count 1) proves nothing about the component.
    static NovaComponentTest() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    protected BunitContext Context { get; } = new();

    public virtual Task InitializeAsync()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}

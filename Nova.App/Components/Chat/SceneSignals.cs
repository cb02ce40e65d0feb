using Microsoft.JSInterop;

namespace Nova.App.Components.Chat;

/// <summary>
/// Tells the 3D scene what the chat is doing (idle, thinking, streaming, error) through the
/// browser-side module both import, never through the server-side scene. One per circuit. Only changes
/// of state cross the circuit: the token rate the scene pulses with is measured in the browser, from
/// the text written into the streaming answer (nova-state.js), so a streamed update costs no round trip.
/// </summary>
public sealed class SceneSignals(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;
    private string? _state;

    public Task SetStateAsync(string state)
    {
        if (state == _state)
        {
            return Task.CompletedTask;
        }
        _state = state;
        return InvokeAsync("setChatState", state);
    }

    private async Task InvokeAsync(string function, params object[] arguments)
    {
        try
        {
            _module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/nova-state.js").AsTask();
            await (await _module).InvokeVoidAsync(function, arguments);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // Prerendering, a closed tab or a browser without the module: the scene is decoration only.
            _module = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true } module)
        {
            try
            {
                await module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // Gone with the circuit.
            }
        }
    }
}

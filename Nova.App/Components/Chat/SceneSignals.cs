using Microsoft.JSInterop;

namespace Nova.App.Components.Chat;

/// <summary>
/// Tells the 3D scene what the chat is doing (idle, thinking, streaming, error) through the
/// browser-side module both import, never through the server-side scene. One per circuit.
/// </summary>
public sealed class SceneSignals(IJSRuntime js, TimeProvider time) : IAsyncDisposable
{
    // The scene pulses with the token rate, which a few reports a second describe as well as one per update
    // does; each report is a round trip on the circuit, and with hundreds of circuits those add up.
    private static readonly TimeSpan TextReportInterval = TimeSpan.FromMilliseconds(250);
    private const int CharactersPerToken = 4;

    private Task<IJSObjectReference>? _module;
    private string? _state;
    private int _unreportedCharacters;
    private long? _lastTextReport;

    public Task SetStateAsync(string state)
    {
        if (state == _state)
        {
            return Task.CompletedTask;
        }
        _state = state;
        return InvokeAsync("setChatState", state);
    }

    /// <summary>Notes text that arrived; the first report goes at once (it turns thinking into streaming), later ones are batched.</summary>
    public Task ReportTextAsync(int characters)
    {
        _unreportedCharacters += Math.Max(0, characters);
        if (_unreportedCharacters == 0 || _lastTextReport is { } last && time.GetElapsedTime(last) < TextReportInterval)
        {
            return Task.CompletedTask;
        }
        var tokens = Math.Max(1, _unreportedCharacters / CharactersPerToken);
        _unreportedCharacters = 0;
        _lastTextReport = time.GetTimestamp();
        return InvokeAsync("reportTokens", tokens);
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

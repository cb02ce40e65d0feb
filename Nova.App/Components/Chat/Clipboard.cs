using Microsoft.JSInterop;

namespace Nova.App.Components.Chat;

internal static class Clipboard
{
    public static async Task CopyAsync(IJSRuntime js, string text)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", text);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException)
        {
            // No clipboard permission, or the circuit is gone: nothing to copy into.
        }
    }
}

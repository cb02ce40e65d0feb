using Microsoft.JSInterop;
using Nova.Services.Identity.Preferences;

namespace Nova.App.Components.Settings;

/// <summary>
/// The user's preferences in one circuit: the single copy that the layout (theme), the theme toggle,
/// the settings dialog and the chat (default model, Enter to send) read and change. A change applies
/// at once to this page and to the browser's copy of the appearance (theme cookie, effects switch),
/// then is saved with the account, so the next browser the user signs in to gets it too.
/// </summary>
public sealed class PreferencesState(UserPreferenceService store, IJSRuntime js) : IAsyncDisposable
{
    private const string ModulePath = "./js/preferences.js";

    // Saves run one at a time and each writes the latest choice, so quick changes end saved in order.
    private readonly SemaphoreSlim _saving = new(1, 1);
    private IJSObjectReference? _module;
    private string? _userId;
    private bool _saved;

    public UserPreferences Current { get; private set; } = UserPreferences.Default;

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    /// <summary>
    /// Reads the account's preferences (<paramref name="userId"/> null: nobody is signed in, nothing is
    /// saved). Until the user saves any, the theme stays the one this browser remembers.
    /// </summary>
    public async Task LoadAsync(string? userId, ThemePreference browserTheme)
    {
        _userId = userId;
        var saved = userId is null ? null : await store.FindAsync(userId);
        _saved = saved is not null;
        Set(saved ?? UserPreferences.Default with { Theme = browserTheme });
    }

    /// <summary>
    /// Once the circuit runs: the account's saved appearance replaces the browser's copy (another
    /// browser may have changed it); without saved preferences, the browser's effects switch is kept.
    /// </summary>
    public async Task SyncBrowserAsync()
    {
        try
        {
            if (_saved)
            {
                await ApplyToBrowserAsync();
            }
            else
            {
                var module = await ModuleAsync();
                Set(Current with { EffectsEnabled = await module.InvokeAsync<bool>("effectsEnabled") });
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException)
        {
            // The tab closed while the page was starting, or its script failed: the browser copy is a convenience,
            // never a reason to end the circuit.
        }
    }

    /// <summary>Applies <paramref name="preferences"/> at once and saves them with the account.</summary>
    public async Task ChangeAsync(UserPreferences preferences)
    {
        if (preferences == Current)
        {
            return;
        }
        Set(preferences);
        try
        {
            await ApplyToBrowserAsync();
        }
        catch (Exception e) when (e is JSDisconnectedException or JSException)
        {
            // The tab is gone or its script failed; the account still gets the change below.
        }
        if (_userId is not null)
        {
            await SaveAsync(_userId);
        }
    }

    private async Task SaveAsync(string userId)
    {
        await _saving.WaitAsync();
        try
        {
            await store.SaveAsync(userId, Current);
            _saved = true;
        }
        finally
        {
            _saving.Release();
        }
    }

    private async Task ApplyToBrowserAsync()
    {
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("apply", ThemeCookie.Name, Current.Theme.ToString().ToLowerInvariant(), Current.EffectsEnabled);
    }

    private async Task<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", ModulePath);

    private void Set(UserPreferences preferences)
    {
        if (preferences == Current)
        {
            return;
        }
        Current = preferences;
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        _saving.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // Gone with the circuit.
            }
        }
    }
}

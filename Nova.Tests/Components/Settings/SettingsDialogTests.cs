using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Nova.App.Components.Settings;
using Nova.Services.Chat;
using Nova.Services.Identity.Preferences;
using Nova.Services.Llm;

namespace Nova.Tests.Components.Settings;

public sealed class SettingsDialogTests : SignedInComponentTest
{
    private readonly CatalogStub _models = new(
        new ModelInfo("llama3.1:8b", "gpu-box", IsAvailable: true),
        new ModelInfo("qwen2.5:14b", "gpu-box", IsAvailable: true),
        new ModelInfo("mistral-large", "cloud", IsAvailable: false));

    private UserPreferenceService _store = default!;
    private BunitJSModuleInterop _browser = default!;
    private IRenderedComponent<MudPopoverProvider> _popovers = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Host.Services.GetRequiredService<UserPreferenceService>();
        Context.Services.AddSingleton(_store);
        Context.Services.AddSingleton<IModelRouter>(_models);
        Context.Services.AddSingleton(Options.Create(new NovaChatOptions()));
        Context.Services.AddScoped<PreferencesState>();
        _browser = Context.JSInterop.SetupModule("./js/preferences.js");
        _browser.SetupVoid("apply").SetVoidResult();
    }

    [Fact]
    public async Task EachChangeAppliesAtOnceAndIsSavedToTheAccount()
    {
        var dialogs = await OpenAsync();

        await ClickAsync(dialogs.Find("[data-testid=settings-theme-dark]"));
        Assert.Equal(ThemePreference.Dark, (await SavedAsync()).Theme);
        Assert.Equal("true", dialogs.Find("[data-testid=settings-theme-dark]").GetAttribute("aria-checked"));
        Assert.Equal(["nova-theme", "dark", true], _browser.Invocations["apply"][^1].Arguments);

        await dialogs.Find("[data-testid=settings-effects]").ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.False((await SavedAsync()).EffectsEnabled);
        Assert.Equal(["nova-theme", "dark", false], _browser.Invocations["apply"][^1].Arguments);

        Assert.Equal("Enter to send · Shift+Enter for a new line", dialogs.Find("[data-testid=settings-enter-hint]").TextContent.Trim());
        await dialogs.Find("[data-testid=settings-enter-to-send]").ChangeAsync(new ChangeEventArgs { Value = false });
        Assert.False((await SavedAsync()).EnterToSend);
        Assert.Equal("Ctrl+Enter to send · Enter for a new line", dialogs.Find("[data-testid=settings-enter-hint]").TextContent.Trim());

        var options = OpenModelList(dialogs);
        Assert.Equal(["Server default · llama3.1:8b", "llama3.1:8b gpu-box", "qwen2.5:14b gpu-box", "mistral-large cloud · unreachable"],
            options.Select(o => string.Join(' ', o.TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
        Assert.True(options[3].Closest(".mud-list-item")!.ClassList.Contains("mud-list-item-disabled"));
        await ClickAsync(options[2]);
        var saved = await SavedAsync();

        Assert.Equal(new UserPreferences(ThemePreference.Dark, EffectsEnabled: false, "qwen2.5:14b", EnterToSend: false), saved);
        Assert.Equal(saved, Context.Services.GetRequiredService<PreferencesState>().Current);
        dialogs.Find("[data-testid=settings-done]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=settings-dialog]")));
    }

    [Fact]
    public async Task AModelNoLongerOfferedIsShownAsSuchUntilTheUserPicksAnother()
    {
        var dialogs = await OpenAsync(UserPreferences.Default with { DefaultModel = "retired-model" });

        Assert.Contains("retired-model · no longer offered", dialogs.Find("[data-testid=settings-default-model]").TextContent);
        Assert.Contains("new chats start with the server default", dialogs.Find("[data-testid=default-model-unavailable]").TextContent);

        await ClickAsync(OpenModelList(dialogs)[0]);

        Assert.Null((await SavedAsync()).DefaultModel);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=default-model-unavailable]")));
        Assert.DoesNotContain("retired-model", dialogs.Find("[data-testid=settings-default-model]").TextContent);
    }

    [Fact]
    public async Task TheAccountsSavedAppearanceReplacesTheBrowsersCopyOnceThePageRuns()
    {
        await _store.SaveAsync(UserId, UserPreferences.Default with { Theme = ThemePreference.Dark, EffectsEnabled = false });
        var state = Context.Services.GetRequiredService<PreferencesState>();

        await state.LoadAsync(UserId, browserTheme: ThemePreference.Light);
        Assert.Equal(ThemePreference.Dark, state.Current.Theme);
        await state.SyncBrowserAsync();

        Assert.Equal(["nova-theme", "dark", false], Assert.Single(_browser.Invocations["apply"]).Arguments);
    }

    [Fact]
    public async Task WithoutSavedPreferencesTheBrowsersAppearanceStandsAndNothingIsSaved()
    {
        _browser.Setup<bool>("effectsEnabled").SetResult(false);
        var state = Context.Services.GetRequiredService<PreferencesState>();

        await state.LoadAsync(UserId, browserTheme: ThemePreference.Dark);
        await state.SyncBrowserAsync();

        Assert.Equal(UserPreferences.Default with { Theme = ThemePreference.Dark, EffectsEnabled = false }, state.Current);
        Assert.Empty(_browser.Invocations["apply"]);
        Assert.Null(await _store.FindAsync(UserId));
    }

    private async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(UserPreferences? saved = null)
    {
        if (saved is not null)
        {
            await _store.SaveAsync(UserId, saved);
        }
        await Context.Services.GetRequiredService<PreferencesState>().LoadAsync(UserId, ThemePreference.System);
        _popovers = Context.Render<MudPopoverProvider>();
        var dialogs = Context.Render<MudDialogProvider>();
        Context.Render<SettingsButton>().Find("[data-testid=open-settings]").Click();
        dialogs.WaitForElement("[data-testid=settings-dialog]");
        return dialogs;
    }

    /// <summary>Opens the default-model list (a popover) and returns its options.</summary>
    private IReadOnlyList<AngleSharp.Dom.IElement> OpenModelList(IRenderedComponent<MudDialogProvider> dialogs)
    {
        dialogs.Find(".mud-select .mud-input-control").MouseDown();
        return _popovers.WaitForElements("[data-testid=default-model-option]");
    }

    private static Task ClickAsync(AngleSharp.Dom.IElement element) => element.ClickAsync(new MouseEventArgs());

    private async Task<UserPreferences> SavedAsync() =>
        await _store.FindAsync(UserId) ?? throw new Xunit.Sdk.XunitException("Nothing was saved.");

    /// <summary>A model catalog that lists what it is given.</summary>
    private sealed class CatalogStub(params ModelInfo[] models) : IModelRouter
    {
        public string? DefaultModelId => models.FirstOrDefault(m => m.IsAvailable)?.Id;

        public event Action? Changed
        {
            add { }
            remove { }
        }

        public IReadOnlyList<ModelInfo> ListModels() => models;

        public ResolvedModel? Resolve(string? modelId) => throw new NotSupportedException("The dialog never calls a model.");
    }
}

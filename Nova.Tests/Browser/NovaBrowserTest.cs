using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Playwright;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Browser;

/// <summary>Nova on a real loopback port with a fresh SQLite database, and Chromium to drive it.</summary>
public abstract class NovaBrowserTest(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    protected const string Password = "Str0ng!Passw0rd";

    private TestDatabase? _database;

    protected NovaAppFactory App { get; private set; } = default!;

    protected Uri BaseAddress { get; private set; } = default!;

    protected BrowserFixture Browser { get; } = browser;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        App = new NovaAppFactory(_database, Settings);
        BaseAddress = App.StartOnRealPort();
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        _database?.Dispose();
    }

    protected Task<IPage> NewPageAsync(ViewportSize? viewport = null) => Browser.NewPageAsync(BaseAddress, viewport);

    /// <summary>Registers through the real form and waits until the signed-in app shell is there.</summary>
    protected static async Task RegisterAsync(IPage page, string email)
    {
        await page.GotoAsync("Account/Register");
        await page.GetByTestId("register-email").FillAsync(email);
        await page.GetByTestId("register-password").FillAsync(Password);
        await page.GetByTestId("register-confirm").FillAsync(Password);
        await page.GetByTestId("register-submit").ClickAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Navigates and waits until the circuit runs: clicks on the prerendered page before that are lost.</summary>
    protected static async Task GoToAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitForInteractiveAsync(page);
    }

    protected static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator(".nova-layout[data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Picks files in the documents page's upload input. Blazor's InputFile listens for a selection only after its first render
    /// has run its script; a pick before that is lost, so this waits for the script (a person cannot pick that fast).
    /// </summary>
    protected static async Task PickDocumentsAsync(IPage page, params FilePayload[] files)
    {
        var input = DocumentInput(page);
        await input.EvaluateAsync("input => new Promise(resolve => { const poll = () => input._blazorInputFileNextFileId !== undefined ? resolve() : setTimeout(poll, 20); poll(); })");
        await input.SetInputFilesAsync(files);
    }

    /// <summary>MudFileUpload adds a fresh input per selection and hides the used ones; this is the live one.</summary>
    protected static ILocator DocumentInput(IPage page) => page.Locator("input[type=file][data-testid=document-upload]:not(.d-none)");

    /// <summary>A file as the browser's file picker hands it over, typed by its extension as a browser does.</summary>
    protected static FilePayload PickedFile(string name, byte[] content) => new()
    {
        Name = name,
        MimeType = new FileExtensionContentTypeProvider().TryGetContentType(name, out var type) ? type : "application/octet-stream",
        Buffer = content,
    };

    protected static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}

namespace Nova.Tests.Api.Accounts;

/// <summary>The account forms as a person fills them in.</summary>
internal static class AccountForms
{
    public static (string, string)[] Registration(string email, string password = AccountsApp.Password, string? displayName = null) =>
    [
        ("Input.Email", email),
        ("Input.DisplayName", displayName ?? ""),
        ("Input.Password", password),
        ("Input.ConfirmPassword", password),
    ];

    public static Task<PageResult> RegisterAsync(this FormBrowser browser, string email, string password = AccountsApp.Password, string? displayName = null) =>
        browser.SubmitAsync("/Account/Register", Registration(email, password, displayName));

    public static Task<PageResult> SignInAsync(this FormBrowser browser, string email, string password) =>
        browser.SubmitAsync("/Account/Login", ("Input.Email", email), ("Input.Password", password));

    /// <summary>Whether this browser's cookie gets it into a page only signed-in users see.</summary>
    public static async Task<bool> IsSignedInAsync(this FormBrowser browser) =>
        (await browser.GetAsync("/Account/Manage")).Path == "/Account/Manage";
}

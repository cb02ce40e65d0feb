using System.Net;
using System.Text.RegularExpressions;

namespace Nova.Bench.Circuits;

/// <summary>
/// A user signed in through Nova's real sign-in page (a static server-rendered form with an antiforgery
/// token), holding the Identity cookie every page request and circuit of that user sends.
/// </summary>
public sealed partial class SignedInUser : IDisposable
{
    private SignedInUser(Uri baseAddress, CookieContainer cookies, HttpClient http)
    {
        BaseAddress = baseAddress;
        Cookies = cookies;
        Http = http;
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; }

    /// <summary>Sends the user's cookies; does not follow redirects, so a page that sends the user away is noticed.</summary>
    public HttpClient Http { get; }

    public static async Task<SignedInUser> SignInAsync(Uri baseAddress, string email, string password)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var form = await http.GetStringAsync("Account/Login");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenValue(form, "__RequestVerificationToken"),
            ["_handler"] = HiddenValue(form, "_handler"),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        };
        using var response = await http.PostAsync("Account/Login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect || cookies.GetCookies(baseAddress).All(c => !c.Name.Contains("Identity", StringComparison.Ordinal)))
        {
            http.Dispose();
            throw new InvalidOperationException($"Signing in as {email} failed: {(int)response.StatusCode}, no Identity cookie.");
        }
        return new SignedInUser(baseAddress, cookies, http);
    }

    public void Dispose() => Http.Dispose();

    private static string HiddenValue(string html, string name) =>
        HiddenInputs().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name)?.Groups["value"].Value is { } value
            ? WebUtility.HtmlDecode(value)
            : throw new InvalidOperationException($"The sign-in form has no hidden '{name}'.");

    [GeneratedRegex(@"<input[^>]*?type=""hidden""[^>]*?name=""(?<name>[^""]+)""[^>]*?value=""(?<value>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}

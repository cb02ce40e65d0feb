using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Nova.Tests.Api.Accounts;

/// <summary>A page as a browser ended up on it: where, with what status, and its parsed HTML.</summary>
public sealed record PageResult(Uri Url, HttpStatusCode Status, IHtmlDocument Document)
{
    public string Path => Url.AbsolutePath;

    public string? TestIdText(string testId) => Document.QuerySelector($"[data-testid='{testId}']")?.TextContent.Trim();
}

/// <summary>A form read from a page, ready to post with the antiforgery token and handler the page gave it.</summary>
public sealed class PreparedForm(FormBrowser browser, Uri action, IReadOnlyList<KeyValuePair<string, string>> hidden)
{
    public Task<PageResult> PostAsync(IEnumerable<KeyValuePair<string, string>> fields) =>
        browser.PostAsync(action, hidden.Concat(fields));
}

/// <summary>
/// Posts static server-rendered forms the way a browser does: GET the page, take the hidden
/// antiforgery token and <c>_handler</c>, POST form-encoded, follow redirects one by one.
/// </summary>
public sealed class FormBrowser(HttpClient http) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http => http;

    public async Task<PageResult> GetAsync(string url) => await FollowAsync(await http.GetAsync(url));

    public async Task<PreparedForm> OpenFormAsync(string url, string? formName = null)
    {
        var page = await GetAsync(url);
        var forms = page.Document.Forms.Where(f => f.QuerySelector("input[name='_handler']") is not null).ToList();
        var form = (formName is null ? forms.FirstOrDefault() : forms.FirstOrDefault(f => f.QuerySelector("input[name='_handler']")!.GetAttribute("value") == formName))
            ?? throw new InvalidOperationException($"No form {formName} on {page.Url} ({page.Status}).");
        var hidden = form.QuerySelectorAll<IHtmlInputElement>("input[type='hidden']")
            .Where(i => i.Name is "__RequestVerificationToken" or "_handler")
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .ToList();
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Url : new Uri(page.Url, form.GetAttribute("action"));
        return new PreparedForm(this, action, hidden);
    }

    public async Task<PageResult> SubmitAsync(string url, params (string Name, string Value)[] fields) =>
        await (await OpenFormAsync(url)).PostAsync(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    internal async Task<PageResult> PostAsync(Uri action, IEnumerable<KeyValuePair<string, string>> fields) =>
        await FollowAsync(await http.PostAsync(action, new FormUrlEncodedContent(fields)));

    private async Task<PageResult> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; IsRedirect(response.StatusCode); hops++)
        {
            if (hops == 10)
            {
                throw new InvalidOperationException("Too many redirects.");
            }
            var location = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response.Dispose();
            response = await http.GetAsync(location);
        }
        using (response)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new PageResult(response.RequestMessage!.RequestUri!, response.StatusCode, Parser.ParseDocument(html));
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    public void Dispose() => http.Dispose();
}

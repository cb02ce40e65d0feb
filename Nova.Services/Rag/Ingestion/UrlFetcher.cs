using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Nova.Services.Rag.Ingestion;

/// <summary>The URL cannot be ingested; the message is the failure reason shown to admins.</summary>
public sealed class UrlFetchException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>What a URL answered with.</summary>
public sealed record FetchedContent(byte[] Content, Uri FinalUrl, string? MediaType);

/// <summary>
/// Fetches a document from a URL without becoming a proxy into the private network: names are
/// resolved here and every address checked; the socket connects to the vetted address itself
/// (so DNS rebinding between check and connect gains nothing); redirects are followed by hand,
/// each hop checked again; size, redirect count and time are capped.
/// </summary>
public sealed class UrlFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly RagOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly Func<IPAddress, bool> _isAllowed;

    public UrlFetcher(IOptions<RagOptions> options)
        : this(options.Value, (host, ct) => Dns.GetHostAddressesAsync(host, ct), NetworkAddressPolicy.IsPublic)
    {
    }

    internal UrlFetcher(RagOptions options, Func<string, CancellationToken, Task<IPAddress[]>> resolve, Func<IPAddress, bool> isAllowed)
    {
        _options = options;
        _resolve = resolve;
        _isAllowed = isAllowed;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectToVettedAddressAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Nova", "1.0"));
    }

    /// <summary>Checks the form of a URL before it is queued: absolute http(s), no credentials.</summary>
    public static Uri ValidateForm(string url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UrlFetchException("Only absolute http:// or https:// URLs can be added.");
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new UrlFetchException("URLs with credentials are not accepted.");
        }
        if (uri.OriginalString.Length > Model.Document.MaxUrlLength)
        {
            throw new UrlFetchException($"The URL is longer than {Model.Document.MaxUrlLength} characters.");
        }
        return uri;
    }

    /// <summary>
    /// Resolves the host and refuses it unless every address is public, so an admin hears at once that a
    /// URL points inside; the fetch checks again when it connects (the answer may change in between).
    /// </summary>
    public async Task CheckHostAsync(Uri url, CancellationToken cancellationToken) =>
        await VetHostAsync(url.IdnHost, cancellationToken);

    public async Task<FetchedContent> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.UrlTimeoutSeconds));
        try
        {
            var current = ValidateForm(url.OriginalString);
            for (var hop = 0; ; hop++)
            {
                await VetHostAsync(current.IdnHost, timeout.Token);
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (IsRedirect(response.StatusCode))
                {
                    if (hop >= _options.UrlMaxRedirects)
                    {
                        throw new UrlFetchException($"More than {_options.UrlMaxRedirects} redirects.");
                    }
                    var location = response.Headers.Location ?? throw new UrlFetchException("A redirect without a Location header.");
                    current = ValidateForm(new Uri(current, location).AbsoluteUri);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new UrlFetchException($"The server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                }
                var content = await ReadCappedAsync(response, timeout.Token);
                return new FetchedContent(content, current, response.Content.Headers.ContentType?.MediaType);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UrlFetchException($"The URL did not answer within {_options.UrlTimeoutSeconds} seconds.");
        }
        catch (HttpRequestException e) when (e.InnerException is UrlFetchException blocked)
        {
            throw blocked;
        }
        catch (HttpRequestException e)
        {
            throw new UrlFetchException($"The URL could not be fetched: {e.Message}", e);
        }
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var cap = _options.MaxFileBytes;
        if (response.Content.Headers.ContentLength > cap)
        {
            throw new UrlFetchException($"The document is larger than {cap:N0} bytes.");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                throw new UrlFetchException($"The document is larger than {cap:N0} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private async Task<IPAddress[]> VetHostAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new UrlFetchException($"The host '{host}' could not be resolved.", e);
            }
        }
        if (addresses.Length == 0)
        {
            throw new UrlFetchException($"The host '{host}' has no addresses.");
        }
        // All must pass: a name that also points inside would let a later connection go there.
        if (addresses.FirstOrDefault(a => !_isAllowed(a)) is { } blocked)
        {
            throw new UrlFetchException($"The host '{host}' resolves to {blocked}, which is not a public address.");
        }
        return addresses;
    }

    private async ValueTask<Stream> ConnectToVettedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await VetHostAsync(context.DnsEndPoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new UrlFetchException($"Could not connect to '{context.DnsEndPoint.Host}': {last?.Message}", last);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public void Dispose() => _http.Dispose();
}

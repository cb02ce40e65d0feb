using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Nova.Services.Rag;
using Nova.Services.Rag.Ingestion;

namespace Nova.Tests.Unit.Rag;

public sealed class UrlIngestionSecurityTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private int _port;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2001:db8::1")]
    public void PrivateAndSpecialAddressesAreBlocked(string address) =>
        Assert.False(NetworkAddressPolicy.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::")]
    public void PublicAddressesAreAllowed(string address) =>
        Assert.True(NetworkAddressPolicy.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.0.0.1/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://localhost/")]
    public async Task LiteralAndEncodedInternalAddressesAreRefusedBeforeConnecting(string url)
    {
        using var fetcher = new UrlFetcher(Microsoft.Extensions.Options.Options.Create(new RagOptions()));

        var error = await Assert.ThrowsAsync<UrlFetchException>(() => fetcher.FetchAsync(new Uri(url), CancellationToken.None));

        Assert.Contains("not a public address", error.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:pw@example.com/")]
    [InlineData("not a url")]
    public void OnlyPlainHttpUrlsAreAccepted(string url) =>
        Assert.Throws<UrlFetchException>(() => UrlFetcher.ValidateForm(url));

    [Fact]
    public async Task APublicPageIsFetchedThroughRedirects()
    {
        using var fetcher = Fetcher();

        var fetched = await fetcher.FetchAsync(new Uri($"http://public.test:{_port}/hop/3"), CancellationToken.None);

        Assert.Equal("<html><body><h1>Hello</h1></body></html>", System.Text.Encoding.UTF8.GetString(fetched.Content));
        Assert.Equal("/page", fetched.FinalUrl.AbsolutePath);
    }

    [Theory]
    [InlineData("/to?target=http://169.254.169.254/latest/meta-data/")]
    [InlineData("/to?target=http://internal.test/admin")]
    [InlineData("/to?target=http://[::ffff:10.0.0.1]/")]
    public async Task ARedirectIntoABlockedRangeIsNotFollowed(string path)
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<UrlFetchException>(() =>
            fetcher.FetchAsync(new Uri($"http://public.test:{_port}{path}"), CancellationToken.None));

        Assert.Contains("not a public address", error.Message);
    }

    [Fact]
    public async Task RedirectsAreCappedAtFive()
    {
        using var fetcher = Fetcher();

        var error = await Assert.ThrowsAsync<UrlFetchException>(() =>
            fetcher.FetchAsync(new Uri($"http://public.test:{_port}/hop/6"), CancellationToken.None));

        Assert.Contains("More than 5 redirects", error.Message);
    }

    [Fact]
    public async Task ANameThatRebindsToAPrivateAddressAtConnectTimeIsRefused()
    {
        var calls = 0;
        using var fetcher = new UrlFetcher(new RagOptions(),
            (_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? new[] { IPAddress.Parse("93.184.215.14") } : [IPAddress.Loopback]),
            NetworkAddressPolicy.IsPublic);

        var error = await Assert.ThrowsAsync<UrlFetchException>(() =>
            fetcher.FetchAsync(new Uri($"http://rebind.test:{_port}/page"), CancellationToken.None));

        Assert.Contains("not a public address", error.Message);
    }

    [Fact]
    public async Task ALargeBodyAndASlowServerAreCut()
    {
        using var small = Fetcher(new RagOptions { MaxFileBytes = 1000 });
        using var impatient = Fetcher(new RagOptions { UrlTimeoutSeconds = 1 });

        var tooBig = await Assert.ThrowsAsync<UrlFetchException>(() =>
            small.FetchAsync(new Uri($"http://public.test:{_port}/big"), CancellationToken.None));
        var tooSlow = await Assert.ThrowsAsync<UrlFetchException>(() =>
            impatient.FetchAsync(new Uri($"http://public.test:{_port}/slow"), CancellationToken.None));

        Assert.Contains("larger than", tooBig.Message);
        Assert.Contains("did not answer within", tooSlow.Message);
    }

    /// <summary>"public.test" is the loopback test server and is the only loopback address let through.</summary>
    private static UrlFetcher Fetcher(RagOptions? options = null) => new(options ?? new RagOptions(),
        (host, _) => Task.FromResult(host switch
        {
            "public.test" => new[] { IPAddress.Loopback },
            "internal.test" => [IPAddress.Parse("10.20.30.40")],
            _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound),
        }),
        address => address.Equals(IPAddress.Loopback) || NetworkAddressPolicy.IsPublic(address));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/page", () => Results.Content("<html><body><h1>Hello</h1></body></html>", "text/html"));
        _server.MapGet("/hop/{n:int}", (int n) => Results.Redirect(n <= 1 ? "/page" : $"/hop/{n - 1}"));
        _server.MapGet("/to", (string target) => Results.Redirect(target));
        _server.MapGet("/big", () => Results.Text(new string('x', 5000)));
        _server.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await _server.StartAsync();
        _port = new Uri(_server.Urls.Single()).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Nova.App.Hosting;

/// <summary>
/// Decides whether a request may read <c>/metrics</c>. A refused request gets 404, as if there were
/// nothing there. The caller's address is the connection's, after the forwarded-headers middleware,
/// which believes only the configured proxies.
/// </summary>
internal sealed class MetricsAccess
{
    private readonly int? _port;
    private readonly IReadOnlyList<IPNetwork> _networks;
    private readonly byte[]? _tokenHash;

    public MetricsAccess(IOptions<MetricsOptions> options)
    {
        _port = options.Value.Port;
        _networks = [.. options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n))];
        _tokenHash = string.IsNullOrEmpty(options.Value.Token) ? null : Hash(options.Value.Token);
    }

    public bool Allows(HttpContext context)
    {
        if (_port is { } port)
        {
            return context.Connection.LocalPort == port;
        }
        return HasToken(context.Request) || FromAllowedNetwork(context);
    }

    private bool FromAllowedNetwork(HttpContext context)
    {
        // A forwarding header that is still there came through a proxy Nova does not trust, for example
        // one on the same machine: the connection's loopback address is the proxy's, not the caller's.
        if (context.Connection.RemoteIpAddress is not { } address
            || context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded"))
        {
            return false;
        }
        var caller = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(caller));
    }

    private bool HasToken(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return false;
        }
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string bearer = "Bearer ";
        return header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
               && CryptographicOperations.FixedTimeEquals(Hash(header[bearer.Length..].Trim()), _tokenHash);
    }

    // Hashing first makes the comparison's time independent of how long the guess is.
    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

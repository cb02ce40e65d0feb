using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Nova.Services.Identity;

namespace Nova.App.Hosting;

/// <summary>Reachable from the network unless every address the server listens on is loopback.</summary>
internal sealed class ServerNetworkExposure(IServer server) : INetworkExposure
{
    // Read when asked, not at start: the server knows its addresses only once it listens.
    public bool IsReachableFromNetwork => !IsLoopbackOnly(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>
    /// True for "localhost", 127.x and ::1 only; "*", "+", 0.0.0.0, [::] and named hosts are reachable.
    /// No address at all is an in-process server (tests), which nobody else can reach.
    /// </summary>
    internal static bool IsLoopbackOnly(IEnumerable<string> addresses) =>
        addresses.All(address =>
        {
            var host = BindingAddress.Parse(address).Host.Trim('[', ']');
            return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        });
}

using System.Net;
using System.Net.Sockets;

namespace Nova.Services.Rag.Ingestion;

/// <summary>
/// Which addresses URL ingestion may connect to: public unicast only. Loopback, private, CGNAT,
/// link-local (cloud metadata at 169.254.169.254), multicast, reserved and documentation ranges are
/// refused, in IPv4, IPv6 and every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4).
/// </summary>
public static class NetworkAddressPolicy
{
    private static readonly (uint Network, int Prefix)[] BlockedV4 =
    [
        (0x00000000, 8),   // "this" network
        (0x0A000000, 8),   // private
        (0x64400000, 10),  // CGNAT
        (0x7F000000, 8),   // loopback
        (0xA9FE0000, 16),  // link-local, cloud metadata
        (0xAC100000, 12),  // private
        (0xC0000000, 24),  // IETF protocol assignments
        (0xC0000200, 24),  // TEST-NET-1
        (0xC0586300, 24),  // 6to4 relay anycast
        (0xC0A80000, 16),  // private
        (0xC6120000, 15),  // benchmarking
        (0xC6336400, 24),  // TEST-NET-2
        (0xCB007100, 24),  // TEST-NET-3
        (0xE0000000, 4),   // multicast
        (0xF0000000, 4),   // reserved, broadcast
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(address.MapToIPv4());
        }
        var bytes = address.GetAddressBytes();
        // Only global unicast (2000::/3) can be public at all.
        if ((bytes[0] & 0xE0) != 0x20)
        {
            return false;
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8)
        {
            return false; // documentation 2001:db8::/32
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x00 && bytes[3] == 0x00)
        {
            return false; // Teredo tunnels reach arbitrary IPv4
        }
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return IsPublicV4(new IPAddress(bytes.AsSpan(2, 4))); // 6to4 embeds an IPv4 address
        }
        return true;
    }

    private static bool IsPublicV4(IPAddress address)
    {
        var b = address.GetAddressBytes();
        var value = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        foreach (var (network, prefix) in BlockedV4)
        {
            var mask = uint.MaxValue << (32 - prefix);
            if ((value & mask) == network)
            {
                return false;
            }
        }
        return true;
    }
}

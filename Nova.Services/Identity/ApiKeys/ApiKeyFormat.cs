using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Nova.Services.Identity.ApiKeys;

/// <summary>The shape of Nova's API keys: <c>nova_</c> followed by 256 random bits in base64url.</summary>
public static class ApiKeyFormat
{
    public const string Marker = "nova_";

    /// <summary>How much of a key is kept for display: the marker and a few random characters.</summary>
    public const int PrefixLength = 12;

    private const int RandomBytes = 32;
    private static readonly int KeyLength = Marker.Length + Base64Url.GetEncodedLength(RandomBytes);

    public static string NewKey() => Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>True for strings that could be a key; anything else is refused without a database lookup.</summary>
    public static bool LooksLikeKey(string candidate) =>
        candidate.Length == KeyLength
        && candidate.StartsWith(Marker, StringComparison.Ordinal)
        && Base64Url.IsValid(candidate.AsSpan(Marker.Length));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Prefix(string key) => key[..PrefixLength];
}

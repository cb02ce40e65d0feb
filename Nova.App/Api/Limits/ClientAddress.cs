namespace Nova.App.Api.Limits;

/// <summary>The rate-limit partition of a request's client address, shared by the API and the account pages.</summary>
internal static class ClientAddress
{
    /// <summary>After UseForwardedHeaders this is the proxy's client only when a known proxy said so.</summary>
    public static string PartitionKey(HttpContext context) =>
        "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

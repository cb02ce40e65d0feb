using System.Net;
using Microsoft.Extensions.Options;

namespace Nova.App.Hosting;

/// <summary>
/// Bound from <c>Nova:Metrics</c>: who may read <c>/metrics</c>. Metrics name routes, models, users'
/// activity and the runtime's state, so they are not for the public port.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Nova:Metrics";
    public const int MinTokenLength = 16;

    /// <summary>
    /// A management port: when set, <c>/metrics</c> answers only on connections to this port, to
    /// anyone who reaches it, and nowhere else. Nova must also listen on it (ASPNETCORE_HTTP_PORTS).
    /// </summary>
    public int? Port { get; set; }

    /// <summary>Without a management port: the networks (CIDR) whose callers may read metrics.</summary>
    public List<string> AllowedNetworks { get; set; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>Without a management port: a bearer token that lets a caller from any address read metrics.</summary>
    public string? Token { get; set; }
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = options.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _))
            .Select(n => $"Setting '{MetricsOptions.Section}:AllowedNetworks' has '{n}', which is not a network in CIDR form (10.0.0.0/8).")
            .ToList();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"Setting '{MetricsOptions.Section}:Port' must be a TCP port (1 to 65535).");
        }
        if (!string.IsNullOrEmpty(options.Token) && options.Token.Length < MetricsOptions.MinTokenLength)
        {
            failures.Add($"Setting '{MetricsOptions.Section}:Token' must be at least {MetricsOptions.MinTokenLength} characters.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

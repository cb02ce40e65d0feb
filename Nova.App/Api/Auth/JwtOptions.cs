using System.Text;
using Microsoft.Extensions.Options;

namespace Nova.App.Api.Auth;

/// <summary>Bound from <c>Nova:Jwt</c>.</summary>
public sealed class JwtOptions
{
    public const string Section = "Nova:Jwt";
    public const int MinimumKeyBytes = 32;

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8. Required outside Development.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "nova";

    public string Audience { get; set; } = "nova-api";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"Setting '{JwtOptions.Section}:SigningKey' is required outside Development: set it to a random secret of at least {JwtOptions.MinimumKeyBytes} bytes (for example `openssl rand -base64 48`).");
            }
        }
        else if (Encoding.UTF8.GetByteCount(options.SigningKey) < JwtOptions.MinimumKeyBytes)
        {
            failures.Add($"Setting '{JwtOptions.Section}:SigningKey' is too short: it needs at least {JwtOptions.MinimumKeyBytes} bytes.");
        }
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"Setting '{JwtOptions.Section}:Issuer' must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"Setting '{JwtOptions.Section}:Audience' must not be empty.");
        }
        if (options.Lifetime < TimeSpan.FromMinutes(1) || options.Lifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"Setting '{JwtOptions.Section}:Lifetime' is {options.Lifetime}; it must be between 00:01:00 and 1.00:00:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

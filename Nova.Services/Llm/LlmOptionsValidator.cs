using Microsoft.Extensions.Options;

namespace Nova.Services.Llm;

/// <summary>Checks <c>Nova:Llm</c> at start so a bad setting fails with the key that holds it.</summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    private const int MaxRetriesLimit = 10;

    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            var key = $"{LlmOptions.Section}:{nameof(LlmOptions.Endpoints)}:{i}";
            if (string.IsNullOrWhiteSpace(endpoint.Name))
            {
                errors.Add($"Setting '{key}:{nameof(LlmEndpointOptions.Name)}' is required.");
            }
            else if (!names.Add(endpoint.Name))
            {
                errors.Add($"Setting '{key}:{nameof(LlmEndpointOptions.Name)}' is '{endpoint.Name}', which another endpoint already uses; names must be unique.");
            }
            if (!LlmEndpointOptions.TryParseKind(endpoint.Kind, out _))
            {
                errors.Add($"Setting '{key}:{nameof(LlmEndpointOptions.Kind)}' must be one of: {string.Join(", ", Enum.GetNames<LlmEndpointKind>())}.");
            }
            if (!IsHttpUrl(endpoint.BaseUrl))
            {
                errors.Add($"Setting '{key}:{nameof(LlmEndpointOptions.BaseUrl)}' must be an absolute http or https URL without user info, query or fragment (a key goes in ApiKey).");
            }
            for (var m = 0; m < endpoint.Models.Count; m++)
            {
                if (!ModelIds.IsValid(endpoint.Models[m]))
                {
                    errors.Add($"Setting '{key}:{nameof(LlmEndpointOptions.Models)}:{m}' is not a usable model id.");
                }
            }
        }

        Positive(errors, nameof(LlmOptions.RefreshInterval), options.RefreshInterval);
        Positive(errors, nameof(LlmOptions.ProbeTimeout), options.ProbeTimeout);
        Positive(errors, nameof(LlmOptions.FirstTokenTimeout), options.FirstTokenTimeout);
        Positive(errors, nameof(LlmOptions.RequestTimeout), options.RequestTimeout);
        if (options.RequestTimeout <= options.FirstTokenTimeout)
        {
            errors.Add($"Setting '{LlmOptions.Section}:{nameof(LlmOptions.RequestTimeout)}' ({options.RequestTimeout}) must be longer than '{LlmOptions.Section}:{nameof(LlmOptions.FirstTokenTimeout)}' ({options.FirstTokenTimeout}).");
        }
        if (options.MaxRetries is < 0 or > MaxRetriesLimit)
        {
            errors.Add($"Setting '{LlmOptions.Section}:{nameof(LlmOptions.MaxRetries)}' is {options.MaxRetries}; it must be between 0 and {MaxRetriesLimit}.");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Setting '{LlmOptions.Section}:{nameof(LlmOptions.RetryDelay)}' is {options.RetryDelay}; it must be between 0 and 5 minutes.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    // Polly rejects timeouts under 10 ms or over a day; these bounds keep its message from being the one users see.
    private static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        if (value < TimeSpan.FromMilliseconds(50) || value > TimeSpan.FromHours(12))
        {
            errors.Add($"Setting '{LlmOptions.Section}:{setting}' is {value}; it must be between 50 ms and 12 hours.");
        }
    }
}

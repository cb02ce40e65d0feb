using Microsoft.Extensions.Options;

namespace Nova.Services.Markdown;

internal sealed class MarkdownOptionsValidator : IValidateOptions<MarkdownOptions>
{
    public ValidateOptionsResult Validate(string? name, MarkdownOptions options)
    {
        var errors = new List<string>();
        if (options.CacheEntries is < 0 or > 1_000_000)
        {
            errors.Add(OutOfRange(nameof(MarkdownOptions.CacheEntries), options.CacheEntries, 1_000_000));
        }
        if (options.MaxHighlightedCodeLength is < 0 or > 10_000_000)
        {
            errors.Add(OutOfRange(nameof(MarkdownOptions.MaxHighlightedCodeLength), options.MaxHighlightedCodeLength, 10_000_000));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string OutOfRange(string key, int value, int max) =>
        $"Setting '{MarkdownOptions.Section}:{key}' is {value}; it must be between 0 and {max}.";
}

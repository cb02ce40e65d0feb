using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Nova.Services.Markdown;

public static class MarkdownExtensions
{
    /// <summary>
    /// Registers <see cref="MarkdownRenderer"/> (singleton) with <see cref="MarkdownOptions"/> from
    /// <c>Nova:Markdown</c>; a bad setting stops the app at start with a message naming it.
    /// </summary>
    public static IHostApplicationBuilder AddNovaMarkdown(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MarkdownOptions>().BindConfiguration(MarkdownOptions.Section).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MarkdownOptions>, MarkdownOptionsValidator>());
        builder.Services.AddSingleton<MarkdownRenderer>();
        return builder;
    }
}

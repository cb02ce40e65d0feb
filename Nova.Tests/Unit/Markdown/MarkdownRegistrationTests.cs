using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Nova.Services.Markdown;

namespace Nova.Tests.Unit.Markdown;

public sealed class MarkdownRegistrationTests
{
    [Fact]
    public void AddNovaMarkdownRegistersOneSharedRendererWithItsSettings()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Nova:Markdown:CacheEntries"] = "3" });
        builder.AddNovaMarkdown();
        using var host = builder.Build();

        var renderer = host.Services.GetRequiredService<MarkdownRenderer>();

        Assert.Same(renderer, host.Services.GetRequiredService<MarkdownRenderer>());
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<MarkdownOptions>>().Value.CacheEntries);
        Assert.Contains("<h1>", renderer.Render("# Hi"));
    }

    [Theory]
    [InlineData("Nova:Markdown:CacheEntries", "-1")]
    [InlineData("Nova:Markdown:MaxHighlightedCodeLength", "-5")]
    public async Task ABadSettingStopsTheStartWithAMessageNamingIt(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddNovaMarkdown();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key, error.Message);
    }
}

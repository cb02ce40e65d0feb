using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nova.App.Components.Chat;
using Nova.Services.Chat;
using Nova.Services.Data;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Api.Hosting;

public sealed class CircuitLimitTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("100000")]
    [InlineData("200000")]
    public async Task TheHubAcceptsTheLongestTextATextBoxSends(string? maxInputChars)
    {
        using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new NovaAppFactory(database, maxInputChars is null ? [] : [new("Nova:Chat:MaxInputChars", maxInputChars)]);

        var limit = app.Services.GetRequiredService<IOptions<NovaChatOptions>>().Value.MaxInputChars;
        // The worst text a box sends before keeping the rest in the browser: every character escaped in the event's JSON.
        var eventArgs = JsonSerializer.Serialize(new { value = new string('\u0001', CircuitTextLimits.HardLimit(limit)) });

        // With room for the rest of the message: the event's name, ids and fields.
        Assert.True(Encoding.UTF8.GetByteCount(eventArgs) + 16 * 1024 <= ComponentHubOptions(app.Services).MaximumReceiveMessageSize);
    }

    /// <summary>The options of Blazor's hub, whose type is internal to ASP.NET Core.</summary>
    private static HubOptions ComponentHubOptions(IServiceProvider services)
    {
        var hub = Type.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub, Microsoft.AspNetCore.Components.Server", throwOnError: true)!;
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hub)));
        return (HubOptions)options.GetType().GetProperty(nameof(IOptions<HubOptions>.Value))!.GetValue(options)!;
    }
}

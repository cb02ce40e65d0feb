using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nova.Services.Data;
using Nova.Services.Identity;
using Nova.Tests.Infrastructure;

namespace Nova.Tests.Components;

/// <summary>A bUnit context beside Nova's real data services on a fresh SQLite database, with one registered user.</summary>
public abstract class SignedInComponentTest : NovaComponentTest
{
    private TestDatabase _database = default!;

    protected IHost Host { get; private set; } = default!;

    protected string UserId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Host = await NovaServices.StartAsync(_database);
        await using var scope = Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync("user@example.com", "Str0ng!Passw0rd", null);
        UserId = result.User!.Id;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Host.Dispose();
        _database.Dispose();
    }
}

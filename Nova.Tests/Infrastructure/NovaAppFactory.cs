using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Nova.Tests.Infrastructure;

/// <summary>
/// Nova on a test database. <see cref="StartOnRealPort"/> serves it from Kestrel on a free loopback
/// port for browsers and SDK clients; otherwise requests go through the in-memory test server.
/// </summary>
public sealed class NovaAppFactory(TestDatabase database, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    : WebApplicationFactory<Program>
{
    // Keeps data-protection keys and uploads out of the checkout; a test that restarts Nova passes its own paths.
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("nova-keys-");
    private readonly DirectoryInfo _documents = Directory.CreateTempSubdirectory("nova-documents-");

    public TestDatabase Database { get; } = database;

    /// <summary>Where uploaded documents are stored (<c>Nova:Rag:StoragePath</c>), outside the checkout.</summary>
    public string DocumentsPath => _documents.FullName;

    /// <summary>Starts Kestrel on 127.0.0.1 and returns its base address.</summary>
    public Uri StartOnRealPort()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _keys.Delete(recursive: true);
        _documents.Delete(recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(Nova.Services.Hosting.SharedStateOptions.KeysPathKey, _keys.FullName);
        builder.UseSetting($"{Nova.Services.Rag.RagOptions.Section}:{nameof(Nova.Services.Rag.RagOptions.StoragePath)}", _documents.FullName);
        // Tests sign in and register from one address far more often than people do; AccountFormLimitTests sets its own limits.
        builder.UseSetting("Nova:AccountLimits:SignInAttemptsPerMinute", "10000");
        builder.UseSetting("Nova:AccountLimits:RegistrationsPerHour", "10000");
        // Stopping does not wait for answers to finish unless a test asks for it.
        builder.UseSetting("Nova:Replicas:DrainTimeout", "00:00:00");
        foreach (var (key, value) in Database.Settings.Concat(settings ?? []))
        {
            builder.UseSetting(key, value);
        }
    }
}

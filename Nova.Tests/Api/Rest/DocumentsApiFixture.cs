using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// One Nova on a real port per test class and provider, with an admin and a user (each with a JWT,
/// the user also with an API key) and small upload limits. Tests keep out of each other's way by
/// filing their documents in collections of their own.
/// </summary>
public abstract class DocumentsApiFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public const long MaxFileBytes = 256 * 1024;
    public const int MaxUploadFiles = 3;

    private RestApiApp _app = null!;

    public DatabaseProvider Provider { get; } = provider;

    public string AdminToken { get; private set; } = "";

    public string UserToken { get; private set; } = "";

    public string UserKey { get; private set; } = "";

    public ClaimsPrincipal Admin { get; private set; } = new();

    internal RestApiApp App => _app;

    public string StoragePath => _app.Factory.DocumentsPath;

    public async Task InitializeAsync()
    {
        (string Key, string Value)[] settings =
        [
            ("Nova:Rag:MaxFileBytes", MaxFileBytes.ToString()),
            ("Nova:Api:MaxUploadFiles", MaxUploadFiles.ToString()),
            .. await FileStoreSettingsAsync(),
        ];
        _app = await RestApiApp.StartOnRealPortAsync(Provider, settings);
        var adminId = await _app.RegisterAsync("admin@example.com");
        await _app.RegisterAsync("user@example.com");
        AdminToken = await _app.TokenAsync("admin@example.com");
        UserToken = await _app.TokenAsync("user@example.com");
        UserKey = (await _app.CreateKeyAsync(UserToken)).Key;
        Admin = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, adminId), new Claim(ClaimTypes.Role, NovaRoles.Admin)], "test"));
    }

    public virtual async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>
    /// The folder on both providers: these tests watch uploads land (and partial ones vanish) in it. The database and S3
    /// stores keep the same promises, proven by DocumentFileStoreContract.
    /// </summary>
    protected virtual Task<(string Key, string Value)[]> FileStoreSettingsAsync() => Task.FromResult<(string, string)[]>([("Nova:Rag:FileStore", "Local")]);

    public HttpClient Client(string? bearer) => _app.Client(bearer);

    public DocumentService Documents => _app.Services.GetRequiredService<DocumentService>();

    public async Task<Guid> CollectionAsync(string visibility = Collection.Everyone) =>
        (await Documents.CreateCollectionAsync(Admin, $"c-{Guid.NewGuid():N}", visibility)).Id;

    /// <summary>Uploads files (name, bytes) as an admin into <paramref name="collectionId"/>.</summary>
    public async Task<HttpResponseMessage> UploadAsync(Guid? collectionId, params (string Name, byte[] Content)[] files)
    {
        using var client = Client(AdminToken);
        return await client.PostAsync("api/v1/documents", Form(collectionId, files));
    }

    public static MultipartFormDataContent Form(Guid? collectionId, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        if (collectionId is { } id)
        {
            form.Add(new StringContent(id.ToString()), "collection_id");
        }
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", name);
        }
        return form;
    }

    /// <summary>Asks for the document every 100 ms, as a client would, until it is no longer processing.</summary>
    public async Task<JsonElement> PollUntilDoneAsync(Guid id)
    {
        using var client = Client(AdminToken);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var response = await client.GetAsync($"api/v1/documents/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (document.GetProperty("status").GetString() != "processing")
            {
                return document;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Document {id} was still processing after 90 s.");
            await Task.Delay(100);
        }
    }

    public sealed class Sqlite() : DocumentsApiFixture(DatabaseProvider.Sqlite);

    public sealed class Postgres() : DocumentsApiFixture(DatabaseProvider.Postgres);

    /// <summary>Originals in an S3 bucket on <see cref="FakeS3Server"/>.</summary>
    public sealed class S3() : DocumentsApiFixture(DatabaseProvider.Sqlite)
    {
        public FakeS3Server Server { get; private set; } = null!;

        protected override async Task<(string Key, string Value)[]> FileStoreSettingsAsync()
        {
            Server = await FakeS3Server.StartAsync(S3Stores.Bucket);
            return S3Stores.Settings(Server);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Nova.Fakes;
using Nova.Services.Data;
using Nova.Services.Llm;
using Nova.Tests.Unit.Chat.Grounding;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Api.Rest;

/// <summary>
/// Nova on a real port, wired as in production, answering from a fake OpenAI-compatible model server:
/// an admin, a user, and the pump manual (a PDF) ingested into "Manuals", a collection everyone may read.
/// </summary>
internal sealed class GroundedApiApp : IAsyncDisposable
{
    public const string Question = "How often does the pump need a service?";

    private GroundedApiApp(FakeOpenAiServer model, RestApiApp app)
    {
        Model = model;
        App = app;
    }

    public FakeOpenAiServer Model { get; }

    public RestApiApp App { get; }

    public DocumentLibrary Library => new(App.Services);

    public string UserId { get; private set; } = "";

    /// <summary>The "Manuals" collection.</summary>
    public Guid Manuals { get; private set; }

    /// <summary>The pump manual's document id.</summary>
    public Guid Manual { get; private set; }

    /// <summary>Starts <paramref name="model"/> and Nova on <paramref name="provider"/>; both are disposed with the app.</summary>
    public static async Task<GroundedApiApp> StartAsync(DatabaseProvider provider, FakeOpenAiServer model)
    {
        await model.StartAsync();
        RestApiApp app;
        try
        {
            app = await RestApiApp.StartOnRealPortAsync(provider,
                ("Nova:Llm:Endpoints:0:Name", "fake"),
                ("Nova:Llm:Endpoints:0:Kind", "OpenAI"),
                ("Nova:Llm:Endpoints:0:BaseUrl", model.BaseUrl.ToString()),
                ("Nova:Chat:GenerateTitles", "false"));
        }
        catch
        {
            await model.DisposeAsync();
            throw;
        }
        var grounded = new GroundedApiApp(model, app);
        try
        {
            await grounded.SeedAsync();
        }
        catch
        {
            await grounded.DisposeAsync();
            throw;
        }
        return grounded;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Model.DisposeAsync();
    }

    private async Task SeedAsync()
    {
        await App.RegisterAsync("admin@example.com");
        UserId = await App.RegisterAsync("user@example.com");
        await App.Services.GetRequiredService<ModelCatalog>().RefreshAsync();
        Manuals = await Library.CollectionAsync("Manuals");
        Manual = (await Library.IngestAsync(TestFiles.Pdf(GroundedChatTests.Manual), "pump-manual.pdf", Manuals)).Id;
    }
}

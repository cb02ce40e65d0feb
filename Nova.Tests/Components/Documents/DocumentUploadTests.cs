using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Nova.App.Components.Pages.Admin.Documents;
using Nova.Fakes;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Documents;

public sealed class DocumentUploadTests : DocumentComponentTest
{
    protected override IDictionary<string, string?> RagSettings => new Dictionary<string, string?> { ["Nova:Rag:MaxFileBytes"] = "1048576" };

    [Fact]
    public void TheDropZoneStatesTheConfiguredLimit()
    {
        var upload = RenderUpload([]);

        Assert.Contains("up to 1 MB each", upload.Find("[data-testid=upload-limit]").TextContent);
        Assert.Equal("Choose documents to upload", upload.Find("input[type=file][data-testid=document-upload]").GetAttribute("aria-label"));
        Assert.NotNull(upload.Find("input[type=file]").GetAttribute("multiple"));
    }

    [Fact]
    public async Task EachFileGetsItsOwnOutcomeAndARefusedFileDoesNotStopTheOthers()
    {
        var uploaded = 0;
        var upload = RenderUpload([], () => uploaded++);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52 };

        upload.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(TestFiles.Pdf([["Pump manual"]]), "manual.pdf"),
            InputFileContent.CreateFromBinary(new byte[2 << 20], "huge.txt"),
            InputFileContent.CreateFromBinary(png, "photo.png"),
            InputFileContent.CreateFromText("# Notes\n\nRemember the seals.", "notes.md"));

        upload.WaitForAssertion(() => Assert.Equal(1, uploaded), TimeSpan.FromSeconds(10));
        var outcomes = upload.FindAll("[data-testid=upload-item]").ToDictionary(i => i.GetAttribute("data-name")!, i => i);
        Assert.Equal("done", outcomes["manual.pdf"].GetAttribute("data-state"));
        Assert.Equal("done", outcomes["notes.md"].GetAttribute("data-state"));
        Assert.Equal("rejected", outcomes["huge.txt"].GetAttribute("data-state"));
        Assert.Contains("2 MB is over the 1 MB limit", outcomes["huge.txt"].TextContent);
        Assert.Equal("rejected", outcomes["photo.png"].GetAttribute("data-state"));
        Assert.Contains("not supported", outcomes["photo.png"].TextContent);
        var listed = (await Rag.Documents.ListAsync(RagTestHost.Admin)).Items;
        Assert.Equal(["notes.md", "manual.pdf"], listed.Select(d => d.DisplayName));
        var general = Assert.Single(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));
        Assert.Equal(Collection.DefaultName, general.Name);
        Assert.All(listed, d => Assert.Equal([general.Id], d.CollectionIds));
    }

    [Fact]
    public async Task FilesGoIntoTheCollectionsChosenForTheUpload()
    {
        var manuals = await Rag.CollectionAsync("Manuals");
        var collections = await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin);
        var upload = RenderUpload(collections);

        await upload.InvokeAsync(() => upload.FindComponent<CollectionPicker>().Instance.SelectedChanged.InvokeAsync([manuals]));
        upload.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Seals last a year.", "seals.txt"));

        upload.WaitForAssertion(() => Assert.Equal("done", upload.Find("[data-testid=upload-item]").GetAttribute("data-state")), TimeSpan.FromSeconds(10));
        Assert.Equal([manuals], Assert.Single((await Rag.Documents.ListAsync(RagTestHost.Admin)).Items).CollectionIds);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/admin", "not a public address")]
    [InlineData("ftp://example.com/file.pdf", "Only absolute http:// or https:// URLs")]
    public async Task AUrlThatCannotBeAddedSaysWhyAndIsKeptForCorrection(string url, string reason)
    {
        var upload = RenderUpload([]);

        upload.Find("input[data-testid=url-input]").Input(url);
        await upload.Find("[data-testid=url-form]").SubmitAsync();

        upload.WaitForAssertion(() => Assert.Contains(reason, upload.Find("[data-testid=url-error]").TextContent));
        Assert.Equal(url, upload.Find("input[data-testid=url-input]").GetAttribute("value"));
        Assert.Equal(0, (await Rag.Documents.ListAsync(RagTestHost.Admin)).Total);
    }

    private IRenderedComponent<DocumentUpload> RenderUpload(IReadOnlyList<CollectionInfo> collections, Action? onUploaded = null) =>
        Context.Render<DocumentUpload>(p => p
            .Add(u => u.Actor, RagTestHost.Admin)
            .Add(u => u.Collections, collections)
            .Add(u => u.OnUploaded, () => onUploaded?.Invoke()));
}

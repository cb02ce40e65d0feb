using Bunit;
using MudBlazor;
using Nova.App.Components.Pages.Admin.Documents;
using Nova.Services.Rag;
using Nova.Services.Rag.Model;
using Nova.Tests.Unit.Rag;

namespace Nova.Tests.Components.Documents;

public sealed class CollectionManagerTests : DocumentComponentTest
{
    [Fact]
    public async Task ACollectionIsCreatedForARoleThroughTheDialog()
    {
        var changed = 0;
        var dialogs = Context.Render<MudDialogProvider>();
        var manager = RenderManager([], () => changed++);
        Assert.NotNull(manager.Find("[data-testid=collection-empty]"));

        manager.Find("[data-testid=collection-create]").Click();
        dialogs.WaitForElement("input[data-testid=collection-name]").Input("Staff handbook");
        var visibility = dialogs.FindComponent<MudSelect<string>>();
        await visibility.InvokeAsync(() => visibility.Instance.ValueChanged.InvokeAsync("User"));
        dialogs.Find("[data-testid=collection-save]").Click();

        manager.WaitForAssertion(() => Assert.Equal(1, changed));
        var created = Assert.Single(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));
        Assert.Equal(("Staff handbook", "User"), (created.Name, created.Visibility));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=collection-name]")));
    }

    [Fact]
    public async Task ADuplicateNameKeepsTheDialogOpenWithTheReason()
    {
        await Rag.CollectionAsync("Manuals");
        var dialogs = Context.Render<MudDialogProvider>();
        var manager = RenderManager(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));

        manager.Find("[data-testid=collection-create]").Click();
        dialogs.WaitForElement("input[data-testid=collection-name]").Input("Manuals");
        dialogs.Find("[data-testid=collection-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("already exists", dialogs.Find("[data-testid=collection-error]").TextContent));
        Assert.Single(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));
    }

    [Fact]
    public async Task RenamingKeepsTheVisibilityAndDeletingExplainsWhereTheDocumentsGo()
    {
        var archive = await Rag.CollectionAsync("Archive", "HR");
        var document = await Rag.Documents.UploadAsync(RagTestHost.Admin, new MemoryStream("Old minutes."u8.ToArray()), "minutes.txt", [archive]);
        var dialogs = Context.Render<MudDialogProvider>();
        var manager = RenderManager(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin));
        Assert.Equal("HR role", manager.Find("[data-testid=collection-visibility]").TextContent.Trim());

        manager.Find("[data-testid=collection-edit]").Click();
        dialogs.WaitForElement("input[data-testid=collection-name]").Input("Old archive");
        dialogs.Find("[data-testid=collection-save]").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=collection-name]")));
        Assert.Equal(("Old archive", "HR"), (await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin)).Select(c => (c.Name, c.Visibility)).Single());

        manager.Find("[data-testid=collection-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"those in no other collection move to {Collection.DefaultName}", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        manager.WaitForAssertion(async () =>
            Assert.Equal(Collection.DefaultName, Assert.Single(await Rag.Documents.ListCollectionsAsync(RagTestHost.Admin)).Name));
        Assert.Single((await Rag.Documents.GetAsync(RagTestHost.Admin, document.Id))!.CollectionIds);
    }

    private IRenderedComponent<CollectionManager> RenderManager(IReadOnlyList<CollectionInfo> collections, Action? onChanged = null) =>
        Context.Render<CollectionManager>(p => p
            .Add(m => m.Actor, RagTestHost.Admin)
            .Add(m => m.Collections, collections)
            .Add(m => m.OnChanged, () => onChanged?.Invoke()));
}

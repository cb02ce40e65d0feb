using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Nova.App.Components.Chat;
using Nova.Services.Chat.Grounding;
using Nova.Services.Llm;

namespace Nova.Tests.Components.Chat;

public sealed class DocumentScopePickerTests : NovaComponentTest
{
    private static readonly GroundingCollection Handbook = new(Guid.NewGuid(), "Handbook", 3);
    private static readonly GroundingCollection Manuals = new(Guid.NewGuid(), "Manuals", 1);
    private readonly List<DocumentScope> _chosen = [];

    [Theory]
    [MemberData(nameof(Labels))]
    public void TheButtonShowsTheCurrentScope(DocumentScope scope, string label, string kind)
    {
        var picker = Render(scope);

        Assert.Contains(label, picker.Find("[data-testid=collection-picker]").TextContent);
        Assert.Equal(kind, picker.Find("[data-testid=collection-picker]").GetAttribute("data-scope"));
    }

    public static TheoryData<DocumentScope, string, string> Labels => new()
    {
        { DocumentScope.All, "All documents", "all" },
        { DocumentScope.Off, "No documents", "off" },
        { DocumentScope.Only([Handbook.Id]), "Handbook", "collections" },
        { DocumentScope.Only([Handbook.Id, Manuals.Id]), "2 collections", "collections" },
    };

    [Fact]
    public async Task ChoosingCollectionsNarrowsTheChatAndUncheckingTheLastTurnsDocumentsOff()
    {
        var popovers = Context.Render<MudPopoverProvider>();
        var picker = Render(DocumentScope.All);
        await picker.Find("[data-testid=collection-picker] button").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        popovers.WaitForAssertion(() => Assert.Equal(2, popovers.FindAll("[data-testid=scope-collection]").Count));

        await popovers.FindAll("[data-testid=scope-collection]")[1].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        picker.Render(p => p.Add(c => c.Scope, _chosen[^1]));
        await popovers.FindAll("[data-testid=scope-collection]")[1].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        await popovers.Find("[data-testid=scope-all]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        Assert.Equal(DocumentScopeKind.Collections, _chosen[0].Kind);
        Assert.Equal([Manuals.Id], _chosen[0].CollectionIds);
        Assert.Equal(DocumentScopeKind.Off, _chosen[1].Kind);
        Assert.Equal(DocumentScopeKind.All, _chosen[2].Kind);
    }

    [Fact]
    public void WithoutCollectionsTheHeaderShowsNoPicker()
    {
        var header = Context.Render<ChatHeader>(p => p
            .Add(c => c.Title, "Chat")
            .Add(c => c.Models, Array.Empty<ModelInfo>())
            .Add(c => c.SelectedModel, null)
            .Add(c => c.OnModelSelected, EventCallback<string>.Empty)
            .Add(c => c.OnOpenSettings, EventCallback.Empty)
            .Add(c => c.Collections, Array.Empty<GroundingCollection>())
            .Add(c => c.Documents, DocumentScope.All)
            .Add(c => c.OnDocumentsChanged, EventCallback<DocumentScope>.Empty));

        Assert.Empty(header.FindAll("[data-testid=collection-picker]"));
    }

    private IRenderedComponent<DocumentScopePicker> Render(DocumentScope scope) => Context.Render<DocumentScopePicker>(p => p
        .Add(c => c.Collections, [Handbook, Manuals])
        .Add(c => c.Scope, scope)
        .Add(c => c.OnChanged, (DocumentScope chosen) => _chosen.Add(chosen)));
}

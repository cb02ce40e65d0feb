using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Nova.Tests.Unit.Circuits;

/// <summary>A small stand-in for the chat composer: a form, a bound textarea, markup, keyed items and a child component.</summary>
internal sealed class ComposerForm : ComponentBase
{
    public string Draft { get; set; } = "";

    public bool ShowHint { get; set; } = true;

    public List<string> Items { get; set; } = ["a", "b", "c"];

    public Task ChangeAsync(Action change) => InvokeAsync(() =>
    {
        change();
        StateHasChanged();
    });

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "form");
        builder.AddAttribute(1, "data-testid", "chat-form");
        builder.AddAttribute(2, "onsubmit", EventCallback.Factory.Create(this, () => { }));
        builder.OpenElement(3, "textarea");
        builder.AddAttribute(4, "data-testid", "chat-input");
        builder.AddAttribute(5, "value", Draft);
        builder.AddAttribute(6, "oninput", EventCallback.Factory.Create<ChangeEventArgs>(this, e => Draft = e.Value as string ?? ""));
        builder.CloseElement();
        if (ShowHint)
        {
            builder.AddMarkupContent(7, "<em>Enter to send</em>");
        }
        builder.OpenRegion(8);
        foreach (var item in Items)
        {
            builder.OpenElement(0, "li");
            builder.SetKey(item);
            builder.AddContent(1, item);
            builder.CloseElement();
        }
        builder.CloseRegion();
        builder.OpenComponent<DraftEcho>(9);
        builder.AddComponentParameter(10, nameof(DraftEcho.Text), Draft);
        builder.CloseComponent();
        builder.CloseElement();
    }

    private sealed class DraftEcho : ComponentBase
    {
        [Parameter]
        public string Text { get; set; } = "";

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "data-testid", "echo");
            builder.AddContent(2, Text);
            builder.CloseElement();
        }
    }
}

extern alias bench;

using bench::Nova.Bench.Circuits;

namespace Nova.Tests.Unit.Circuits;

/// <summary>
/// The headless circuit client reads batches written by Blazor Server's own writer and keeps its page in
/// step with the server: if either drifts, every figure of the circuits benchmark is silently wrong.
/// </summary>
public sealed class RenderBatchReaderTests
{
    [Fact]
    public async Task TheFirstBatchGivesThePageWithItsEventHandlers()
    {
        var renderer = new ServerBatchRenderer();
        var root = await renderer.RenderAsync(new ComposerForm());
        var dom = new CircuitDom();
        dom.AttachRoot(root);

        var batch = RenderBatchReader.Read(Assert.Single(renderer.Batches));
        dom.Apply(batch);

        var input = dom.ByTestId("chat-input");
        Assert.NotNull(input);
        Assert.Equal("textarea", input.Name);
        Assert.NotEqual(0ul, input.EventHandlers["oninput"]);
        Assert.Equal(root, input.RenderingComponentId);
        var form = dom.ByTestId("chat-form");
        Assert.NotNull(form);
        Assert.NotEqual(input.EventHandlers["oninput"], form.EventHandlers["onsubmit"]);
        Assert.Equal("<em>Enter to send</em>abc", form.TextContent());
        Assert.Equal(2, dom.ComponentCount);
        Assert.Contains("<em>Enter to send</em>", batch.Strings);
    }

    [Fact]
    public async Task LaterBatchesEditThePageInPlace()
    {
        var renderer = new ServerBatchRenderer();
        var composer = new ComposerForm();
        var dom = new CircuitDom();
        dom.AttachRoot(await renderer.RenderAsync(composer));
        await composer.ChangeAsync(() =>
        {
            composer.Draft = "hello";
            composer.ShowHint = false;
            composer.Items = ["c", "a", "b", "d"];
        });
        await composer.ChangeAsync(() => composer.Items = ["b", "c", "d"]);

        Assert.Equal(3, renderer.Batches.Count);
        renderer.Batches.ForEach(bytes => dom.Apply(RenderBatchReader.Read(bytes)));

        Assert.Equal("hello", dom.ByTestId("chat-input")!.Attribute("value"));
        Assert.Equal("hello", dom.ByTestId("echo")!.TextContent());
        Assert.Equal("bcdhello", dom.ByTestId("chat-form")!.TextContent());
    }

    [Fact]
    public void ABatchTooShortForItsOffsetsIsRefused() =>
        Assert.Throws<FormatException>(() => RenderBatchReader.Read(new byte[12]));
}

using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.App.Components.Chat;
using Nova.Services.Markdown;

namespace Nova.Bench.LongAnswer;

/// <summary>
/// What the circuit sends for each update of a message: the chat's own <see cref="MarkdownBlocks"/> component,
/// rendered and diffed by Blazor's renderer, and each render batch sized as blazorpack lays it out — 16 B per
/// edit, 20 B per frame it carries, and the UTF-8 bytes of the frames' strings (element and attribute names,
/// attribute values, text, markup), without blazorpack's de-duplication of repeated strings.
/// </summary>
#pragma warning disable BL0006 // The render tree types are what is measured here.
public sealed class RenderedBytes : Renderer
{
    private readonly int _root;
    private long _batchBytes;

    public RenderedBytes() : base(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance)
    {
        _root = AssignRootComponentId(InstantiateComponent(typeof(MarkdownBlocks)));
    }

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    public long Total { get; private set; }

    /// <summary>Renders the blocks and returns the bytes of the render batch that brought the browser up to date.</summary>
    public long Update(IReadOnlyList<RenderedBlock> blocks)
    {
        _batchBytes = 0;
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(MarkdownBlocks.Blocks)] = blocks });
        Dispatcher.InvokeAsync(() => RenderRootComponentAsync(_root, parameters)).GetAwaiter().GetResult();
        Total += _batchBytes;
        return _batchBytes;
    }

    /// <summary>The HTML of the finished message, the size it ends at in the browser.</summary>
    public static long SizeOf(IReadOnlyList<RenderedBlock> blocks) => blocks.Sum(b => (long)Encoding.UTF8.GetByteCount(b.Html));

    protected override Task UpdateDisplayAsync(in RenderBatch batch)
    {
        var frames = batch.ReferenceFrames;
        for (var i = 0; i < frames.Count; i++)
        {
            _batchBytes += 20 + FrameStringBytes(frames.Array[i]);
        }
        for (var i = 0; i < batch.UpdatedComponents.Count; i++)
        {
            _batchBytes += 16L * batch.UpdatedComponents.Array[i].Edits.Count;
        }
        return Task.CompletedTask;
    }

    protected override void HandleException(Exception exception) => throw exception;

    private static int FrameStringBytes(RenderTreeFrame frame) => frame.FrameType switch
    {
        RenderTreeFrameType.Element => Encoding.UTF8.GetByteCount(frame.ElementName),
        RenderTreeFrameType.Text => Encoding.UTF8.GetByteCount(frame.TextContent),
        RenderTreeFrameType.Markup => Encoding.UTF8.GetByteCount(frame.MarkupContent),
        RenderTreeFrameType.Attribute => Encoding.UTF8.GetByteCount(frame.AttributeName)
                                         + (frame.AttributeValue is string value ? Encoding.UTF8.GetByteCount(value) : 0),
        _ => 0,
    };
}
#pragma warning restore BL0006

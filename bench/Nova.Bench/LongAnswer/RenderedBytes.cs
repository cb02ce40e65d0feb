using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.App.Components.Chat;
using Nova.Services.Markdown;
using ServerBatchWriter = Nova.Bench.Circuits.ServerBatchWriter;

namespace Nova.Bench.LongAnswer;

/// <summary>
/// What the circuit sends for each update of a message: the chat's own <see cref="MarkdownBlocks"/> component,
/// rendered and diffed by Blazor's renderer, each render batch written by Blazor Server's own writer
/// (<see cref="ServerBatchWriter"/>).
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
        _batchBytes += ServerBatchWriter.Write(batch).Length;
        return Task.CompletedTask;
    }

    protected override void HandleException(Exception exception) => throw exception;
}
#pragma warning restore BL0006

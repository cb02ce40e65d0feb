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
/// (<see cref="ServerBatchWriter"/>). <see cref="Kinds"/> says what the bytes carried.
/// </summary>
#pragma warning disable BL0006 // The render tree types are what is measured here.
public sealed class RenderedBytes : Renderer
{
    // RenderBatchWriter writes an edit as four ints and a reference frame as five.
    private const int EditSize = 16;
    private const int FrameSize = 20;

    private readonly int _root;
    private long _batchBytes;

    public RenderedBytes() : base(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance)
    {
        _root = AssignRootComponentId(InstantiateComponent(typeof(MarkdownBlocks)));
    }

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    public long Total { get; private set; }

    /// <summary>The bytes of every batch so far by what they carried; the kinds add up to <see cref="Total"/>.</summary>
    public BatchBytes Kinds { get; private set; } = new(0, 0, 0, 0, 0);

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
        var written = ServerBatchWriter.Write(batch).Length;
        _batchBytes += written;
        long text = 0, markup = 0, names = 0, structure = 0;
        for (var c = 0; c < batch.UpdatedComponents.Count; c++)
        {
            structure += batch.UpdatedComponents.Array[c].Edits.Count * EditSize;
        }
        structure += batch.ReferenceFrames.Count * FrameSize;
        for (var f = 0; f < batch.ReferenceFrames.Count; f++)
        {
            var frame = batch.ReferenceFrames.Array[f];
            switch (frame.FrameType)
            {
                case RenderTreeFrameType.Text:
                    text += Encoding.UTF8.GetByteCount(frame.TextContent);
                    break;
                case RenderTreeFrameType.Markup:
                    markup += Encoding.UTF8.GetByteCount(frame.MarkupContent);
                    break;
                case RenderTreeFrameType.Element:
                    names += Encoding.UTF8.GetByteCount(frame.ElementName);
                    break;
                case RenderTreeFrameType.Attribute:
                    names += Encoding.UTF8.GetByteCount(frame.AttributeName) + Encoding.UTF8.GetByteCount(frame.AttributeValue as string ?? "");
                    break;
            }
        }
        // Strings are written once per batch with a length and an offset; the rest is the batch's own framing.
        var fixedBytes = written - text - markup - names - structure;
        Kinds = new BatchBytes(Kinds.Text + text, Kinds.Markup + markup, Kinds.Names + names, Kinds.Structure + structure, Kinds.Framing + fixedBytes);
        return Task.CompletedTask;
    }

    protected override void HandleException(Exception exception) => throw exception;
}

/// <summary>
/// Render batch bytes by what they carried: text of text frames, markup of markup frames, element and attribute
/// names and values, edits and frames themselves, and the rest (string lengths and offsets, counts, the batch's header).
/// </summary>
public sealed record BatchBytes(long Text, long Markup, long Names, long Structure, long Framing);
#pragma warning restore BL0006

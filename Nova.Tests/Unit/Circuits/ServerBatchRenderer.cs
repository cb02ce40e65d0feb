using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nova.Tests.Unit.Circuits;

// The renderer's internals are the subject here: the benchmark's client must read what they produce.
#pragma warning disable BL0006

/// <summary>
/// A renderer that puts every batch into bytes with Blazor Server's own RenderBatchWriter (internal, so
/// reached by reflection): exactly what a circuit sends, for components the test controls.
/// </summary>
internal sealed class ServerBatchRenderer() : Renderer(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance)
{
    private static readonly Type Writer = typeof(CircuitOptions).Assembly
        .GetType("Microsoft.AspNetCore.Components.Server.Circuits.RenderBatchWriter", throwOnError: true)!;

    public List<byte[]> Batches { get; } = [];

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    public Task<int> RenderAsync(IComponent component) => Dispatcher.InvokeAsync(async () =>
    {
        var id = AssignRootComponentId(component);
        await RenderRootComponentAsync(id);
        return id;
    });

    protected override void HandleException(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch)
    {
        using var stream = new MemoryStream();
        using (var writer = (IDisposable)Activator.CreateInstance(Writer, stream, true)!)
        {
            Writer.GetMethod("Write", [typeof(RenderBatch).MakeByRefType()])!.Invoke(writer, [renderBatch]);
        }
        Batches.Add(stream.ToArray());
        return Task.CompletedTask;
    }
}

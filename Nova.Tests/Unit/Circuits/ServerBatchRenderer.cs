extern alias bench;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerBatchWriter = bench::Nova.Bench.Circuits.ServerBatchWriter;

namespace Nova.Tests.Unit.Circuits;

// The renderer's internals are the subject here: the benchmark's client must read what they produce.
#pragma warning disable BL0006

/// <summary>
/// A renderer that puts every batch into bytes as a circuit does (<see cref="ServerBatchWriter"/>), for components the test controls.
/// </summary>
internal sealed class ServerBatchRenderer() : Renderer(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance)
{
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
        Batches.Add(ServerBatchWriter.Write(renderBatch));
        return Task.CompletedTask;
    }
}

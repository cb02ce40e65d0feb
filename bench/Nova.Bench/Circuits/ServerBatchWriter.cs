using Microsoft.AspNetCore.Components.Server;

namespace Nova.Bench.Circuits;

#pragma warning disable BL0006 // The render batch is what is written here, as the circuit writes it.

/// <summary>
/// Puts a render batch into bytes with Blazor Server's own RenderBatchWriter (internal, so reached by
/// reflection): exactly what a circuit sends for it.
/// </summary>
public static class ServerBatchWriter
{
    private static readonly Type Writer = typeof(CircuitOptions).Assembly
        .GetType("Microsoft.AspNetCore.Components.Server.Circuits.RenderBatchWriter", throwOnError: true)!;

    private static readonly System.Reflection.MethodInfo WriteMethod =
        Writer.GetMethod("Write", [typeof(Microsoft.AspNetCore.Components.RenderTree.RenderBatch).MakeByRefType()])!;

    // Named in full: this namespace has the client-side RenderBatch the reader makes of these bytes.
    public static byte[] Write(in Microsoft.AspNetCore.Components.RenderTree.RenderBatch batch)
    {
        using var stream = new MemoryStream();
        using (var writer = (IDisposable)Activator.CreateInstance(Writer, stream, true)!)
        {
            WriteMethod.Invoke(writer, [batch]);
        }
        return stream.ToArray();
    }
}
#pragma warning restore BL0006

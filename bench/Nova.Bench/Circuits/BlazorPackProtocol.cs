using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Nova.Bench.Circuits;

/// <summary>
/// The "blazorpack" hub protocol, the only one the Blazor Server hub accepts: SignalR's MessagePack
/// protocol under Blazor's name (blazor.web.js does the same, a MessagePackHubProtocol renamed). One
/// instance per connection, so it can count the bytes that crossed that circuit.
/// </summary>
public sealed class BlazorPackProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _messagePack = new();
    private long _bytesReceived;
    private long _bytesSent;

    public string Name => "blazorpack";

    public int Version => _messagePack.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    /// <summary>Bytes of hub messages received, length prefixes included (WebSocket framing is not).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public bool IsVersionSupported(int version) => _messagePack.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input.Length;
        var parsed = _messagePack.TryParseMessage(ref input, binder, out message);
        Interlocked.Add(ref _bytesReceived, before - input.Length);
        return parsed;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        var bytes = _messagePack.GetMessageBytes(message);
        Interlocked.Add(ref _bytesSent, bytes.Length);
        output.Write(bytes.Span);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var bytes = _messagePack.GetMessageBytes(message);
        Interlocked.Add(ref _bytesSent, bytes.Length);
        return bytes;
    }
}

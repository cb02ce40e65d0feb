extern alias bench;
using System.Buffers;
using bench::Nova.Bench.Circuits;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Nova.Tests.Unit.Circuits;

/// <summary>
/// The headless client's hub protocol against Blazor Server's own "blazorpack" protocol (internal, reached
/// by reflection): the handshake names and versions must match, and each must read what the other writes.
/// </summary>
public sealed class BlazorPackProtocolTests
{
    private static readonly IHubProtocol Server = (IHubProtocol)Activator.CreateInstance(typeof(CircuitOptions).Assembly
        .GetType("Microsoft.AspNetCore.Components.Server.BlazorPack.BlazorPackHubProtocol", throwOnError: true)!)!;

    [Fact]
    public void TheHandshakeNamesTheServersProtocolAndVersion()
    {
        var client = new BlazorPackProtocol();

        Assert.Equal(Server.Name, client.Name);
        Assert.True(Server.IsVersionSupported(client.Version));
    }

    [Fact]
    public void ARenderBatchFromTheServerIsReadAndCounted()
    {
        var client = new BlazorPackProtocol();
        var batch = new byte[] { 1, 2, 3, 250 };
        var bytes = Server.GetMessageBytes(new InvocationMessage("JS.RenderBatch", [7L, batch]));
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(client.TryParseMessage(ref input, new Binder(typeof(long), typeof(byte[])), out var message));

        var invocation = Assert.IsType<InvocationMessage>(message);
        Assert.Equal("JS.RenderBatch", invocation.Target);
        Assert.Equal(7L, invocation.Arguments[0]);
        Assert.Equal(batch, invocation.Arguments[1]);
        Assert.Equal(bytes.Length, client.BytesReceived);
        Assert.True(input.IsEmpty);
    }

    [Fact]
    public void TheServerReadsTheAcknowledgementTheClientWrites()
    {
        var client = new BlazorPackProtocol();
        var bytes = client.GetMessageBytes(new InvocationMessage("OnRenderCompleted", [7L, null]));
        var input = new ReadOnlySequence<byte>(bytes);

        Assert.True(Server.TryParseMessage(ref input, new Binder(typeof(long), typeof(string)), out var message));

        var invocation = Assert.IsType<InvocationMessage>(message);
        Assert.Equal("OnRenderCompleted", invocation.Target);
        Assert.Equal([7L, null], invocation.Arguments);
        Assert.Equal(bytes.Length, client.BytesSent);
    }

    [Fact]
    public void AMessageCutShortWaitsForTheRest()
    {
        var client = new BlazorPackProtocol();
        var bytes = Server.GetMessageBytes(new InvocationMessage("JS.RenderBatch", [7L, new byte[100]]));
        var input = new ReadOnlySequence<byte>(bytes[..50]);

        Assert.False(client.TryParseMessage(ref input, new Binder(typeof(long), typeof(byte[])), out _));
        Assert.Equal(50, input.Length);
        Assert.Equal(0, client.BytesReceived);
    }

    private sealed class Binder(params Type[] parameters) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => parameters;

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}

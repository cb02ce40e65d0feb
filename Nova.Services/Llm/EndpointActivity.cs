using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Nova.Services.Llm;

/// <summary>
/// When an endpoint last delivered something (a streamed update or a whole response), so the catalog can
/// tell a busy endpoint, whose model list answers slowly, from one that is down.
/// </summary>
internal sealed class EndpointActivity(TimeProvider time)
{
    private long _lastDelivered = long.MinValue;

    public void Delivered() => Volatile.Write(ref _lastDelivered, time.GetTimestamp());

    /// <summary>Whether the endpoint delivered anything within <paramref name="window"/> before now.</summary>
    public bool DeliveredWithin(TimeSpan window)
    {
        var last = Volatile.Read(ref _lastDelivered);
        return last != long.MinValue && time.GetElapsedTime(last) <= window;
    }
}

/// <summary>Tells an endpoint's <see cref="EndpointActivity"/> of every update and response its model delivers.</summary>
internal sealed class ActivityReportingChatClient(IChatClient inner, EndpointActivity activity) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        activity.Delivered();
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).WithCancellation(cancellationToken))
        {
            activity.Delivered();
            yield return update;
        }
    }
}

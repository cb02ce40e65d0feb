using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Nova.Services.Chat;

namespace Nova.App.Api.OpenAi;

/// <summary>The states of one answer as it is written, ending with the final one, for an API response.</summary>
internal static class GenerationWatch
{
    /// <summary>
    /// Yields the current state on each (coalesced) notification, the final state last. An answer not
    /// written by this process yields its stored state once, which may not be final.
    /// </summary>
    public static async IAsyncEnumerable<GenerationState> WatchAsync(
        GenerationRegistry registry, string userId, Guid messageId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = await registry.SubscribeAsync(messageId, userId, () => changed.Writer.TryWrite(true), cancellationToken);
        while (true)
        {
            var state = subscription.Current;
            yield return state;
            if (state.IsFinal || !subscription.IsLive)
            {
                yield break;
            }
            await changed.Reader.ReadAsync(cancellationToken);
        }
    }
}

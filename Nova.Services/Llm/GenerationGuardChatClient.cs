using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Nova.Services.Llm;

/// <summary>
/// Bounds a generation twice, the wait for the first token and the whole run, and insists that a
/// stream ends with a finish reason. A timeout surfaces as <see cref="TimeoutException"/> so callers
/// can tell it from their own cancellation; a stream cut short without an error surfaces as
/// <see cref="IncompleteResponseException"/>, so a truncated answer is never taken for a whole one.
/// </summary>
internal sealed class GenerationGuardChatClient(IChatClient inner, string modelId, TimeSpan firstToken, TimeSpan total, TimeProvider time)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(total, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Model '{modelId}' did not answer within {total}.", e);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(total, time);
        using var firstTokenDeadline = new CancellationTokenSource(firstToken, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, firstTokenDeadline.Token);
        await using var updates = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        var waitingForFirstToken = true;
        var finished = false;
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || firstTokenDeadline.IsCancellationRequested))
            {
                throw TimedOut(firstTokenDeadline.IsCancellationRequested, e);
            }
            if (waitingForFirstToken && IsToken(updates.Current))
            {
                waitingForFirstToken = false;
                firstTokenDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            finished |= updates.Current.FinishReason is not null;
            yield return updates.Current;
        }
        if (!finished)
        {
            // Some clients (OllamaSharp) end a cancelled stream quietly instead of throwing.
            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested || firstTokenDeadline.IsCancellationRequested)
            {
                throw TimedOut(firstTokenDeadline.IsCancellationRequested, inner: null);
            }
            throw new IncompleteResponseException($"Model '{modelId}' ended its answer without finishing it.");
        }
    }

    private TimeoutException TimedOut(bool beforeFirstToken, Exception? inner) => new(
        beforeFirstToken ? $"Model '{modelId}' sent no token within {firstToken}." : $"Model '{modelId}' did not finish within {total}.",
        inner);

    // Servers often open a stream with an empty role-only chunk long before the model produces anything.
    private static bool IsToken(ChatResponseUpdate update) =>
        update.Contents.Any(content => content is not TextContent { Text.Length: 0 });
}

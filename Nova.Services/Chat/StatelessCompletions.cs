using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Nova.Services.Llm;
using Nova.Services.RateLimiting;

namespace Nova.Services.Chat;

/// <summary>
/// Completions that are not stored: the caller's messages go to the model as given and the answer comes
/// straight back, with no chat, no title and nothing written to the database. They obey the same per-user
/// limits as stored answers: each draws once from the chat allowance and holds one of the user's places for
/// answers being written until it ends.
/// </summary>
public sealed class StatelessCompletions(
    GenerationRegistry registry, IChatRateLimiter rateLimiter, TimeProvider time, ILogger<StatelessCompletions> logger)
{
    /// <summary>
    /// Takes one of the user's places for answers being written and one request from their allowance;
    /// dispose the lease when the answer has ended.
    /// </summary>
    /// <exception cref="ChatLimitException">Too many answers being written for this user.</exception>
    /// <exception cref="ChatUnavailableException">This replica is stopping.</exception>
    /// <exception cref="ChatRateLimitException">The user's allowance is used up for now.</exception>
    public async Task<IDisposable> BeginAsync(string userId, CancellationToken cancellationToken)
    {
        // A stateless answer has no chat: its own id stands in for one, so it never waits on another.
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var slot = await registry.ReserveAsync(userId, id, id, cancellationToken);
        try
        {
            if (await rateLimiter.TryAcquireAsync(userId, cancellationToken) is { Allowed: false } refused)
            {
                throw new ChatRateLimitException(refused.RetryAfter ?? TimeSpan.FromSeconds(1));
            }
        }
        catch
        {
            slot.Dispose();
            throw;
        }
        return slot;
    }

    /// <summary>
    /// Streams the model's answer to <paramref name="messages"/>, exactly the messages given. When the model server
    /// reports no usage (or none for a non-empty answer), a last update carries Nova's count (<see cref="UsageEstimate"/>).
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        ResolvedModel model, IReadOnlyList<ChatMessage> messages, ChatOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options.ModelId = model.ModelId;
        var answer = new StringBuilder();
        UsageDetails? reported = null;
        await foreach (var update in model.Client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        answer.Append(text.Text);
                        break;
                    case UsageContent usage:
                        reported = usage.Details;
                        break;
                }
            }
            yield return update;
        }
        var (counted, estimated) = UsageEstimate.Complete(reported, messages, answer.ToString());
        if (estimated)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(counted)]);
        }
    }

    /// <summary>
    /// The reason to give the caller for a failed answer: plain words and a reference. The exception, which may
    /// name internal hosts or repeat what a model server said, is logged under that reference only.
    /// </summary>
    public string DescribeFailure(Exception exception, string modelId)
    {
        var reference = FailureReason.NewReference();
        logger.LogWarning(exception, "A stateless completion failed on model {Model} (reference {ErrorReference})", modelId, reference);
        return FailureReason.Describe(exception, reference);
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Nova.App.Api.Limits;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// What identifies a completion request across retries: the client's <c>Idempotency-Key</c> when it
/// sends one (<see cref="IsExplicit"/>), otherwise a hash of the exact request body.
/// </summary>
internal readonly record struct CompletionRequestKey(string Hash, bool IsExplicit)
{
    public static CompletionRequestKey For(string? idempotencyKey, ReadOnlySpan<byte> body) =>
        string.IsNullOrEmpty(idempotencyKey)
            ? new(Convert.ToHexStringLower(SHA256.HashData(body)), false)
            : new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))), true);
}

/// <summary>
/// Recognises a client retrying a completion, so that a retry continues the first attempt's chat instead
/// of storing another one. The official OpenAI SDKs retry by themselves on 408, 429, 5xx and dropped
/// connections, and send nothing that marks a retry: a failed answer (Nova's 502) would otherwise leave
/// one chat per attempt in the user's list.
/// <list type="bullet">
/// <item>The same request (same user, same body) within <see cref="ApiOptions.CompletionRetryWindow"/>
/// after its answer failed, was stopped or interrupted: the answer is written again as a new version in
/// the same chat.</item>
/// <item>The same request after its answer completed, or while it is still being written, is a new
/// request (scripts do ask the same thing twice), unless it carries the same <c>Idempotency-Key</c>:
/// then it gets that answer and the model is not called again.</item>
/// </list>
/// Entries live in the distributed cache (Redis when configured), so replicas recognise each other's requests.
/// Recognising retries is best effort: with the cache unreachable, requests are answered as new ones.
/// </summary>
internal sealed class CompletionRetries(IDistributedCache cache, IOptionsMonitor<ApiOptions> options, ILogger<CompletionRetries> logger)
{
    private TimeSpan Window => options.CurrentValue.CompletionRetryWindow;

    /// <summary>
    /// The turn to answer this request with when it repeats an earlier one (see the class summary), with
    /// the settings of its chat; null when it is a new request.
    /// </summary>
    public async Task<(ChatTurn Turn, ConversationSettings Settings)?> ResumeAsync(
        ChatService chat, string userId, CompletionRequestKey key, CancellationToken cancellationToken)
    {
        if (Window <= TimeSpan.Zero || await FindAsync(userId, key, cancellationToken) is not { } earlier
            || (earlier.Outcome == MessageStatus.Completed && !key.IsExplicit))
        {
            // A request repeated after its answer completed is a request of its own (scripts do ask the same thing twice).
            return null;
        }
        ConversationView view;
        try
        {
            view = await chat.GetAsync(userId, earlier.Turn.ConversationId, cancellationToken);
        }
        catch (ChatNotFoundException)
        {
            return null;
        }
        if (view.Messages.LastOrDefault() is not { } answer || answer.Id != earlier.Turn.AssistantMessageId)
        {
            // The chat has moved on since (the user went on in the UI): this is a request of its own.
            return null;
        }
        return answer.Status switch
        {
            MessageStatus.Failed or MessageStatus.Stopped or MessageStatus.Interrupted =>
                (await chat.RegenerateAsync(userId, answer.Id, cancellationToken), view.Settings),
            _ when key.IsExplicit => (earlier.Turn, view.Settings),
            _ => null,
        };
    }

    /// <summary>
    /// Remembers which turn answers this request, and how it ended once known (<paramref name="outcome"/>), for
    /// <see cref="ApiOptions.CompletionRetryWindow"/> from now.
    /// </summary>
    public async Task RememberAsync(string userId, CompletionRequestKey key, ChatTurn turn, MessageStatus? outcome = null)
    {
        if (Window <= TimeSpan.Zero)
        {
            return;
        }
        var value = $"{turn.ConversationId:N}|{turn.UserMessageId:N}|{turn.AssistantMessageId:N}|{outcome}";
        try
        {
            // Not the request's token: a retry must be findable even when the request that stored it was cut short.
            await cache.SetStringAsync(CacheKey(userId, key), value,
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Window }, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not remember a chat completion for retries; a retry of it will start a new chat.");
        }
    }

    private async Task<(ChatTurn Turn, MessageStatus? Outcome)?> FindAsync(string userId, CompletionRequestKey key, CancellationToken cancellationToken)
    {
        string? stored;
        try
        {
            stored = await cache.GetStringAsync(CacheKey(userId, key), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not look up earlier chat completions; this request is answered as a new one.");
            return null;
        }
        var parts = stored?.Split('|');
        return parts is [var conversation, var question, var answer, var outcome]
               && Guid.TryParse(conversation, out var conversationId)
               && Guid.TryParse(question, out var questionId)
               && Guid.TryParse(answer, out var answerId)
            ? (new ChatTurn(conversationId, questionId, answerId), Enum.TryParse<MessageStatus>(outcome, out var status) ? status : null)
            : null;
    }

    private static string CacheKey(string userId, CompletionRequestKey key) =>
        $"nova:api:completion:{userId}:{(key.IsExplicit ? "key" : "body")}:{key.Hash}";
}

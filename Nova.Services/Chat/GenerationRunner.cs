using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Data;
using Nova.Services.Llm;
using AiMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatMessage = Nova.Services.Chat.Data.ChatMessage;

namespace Nova.Services.Chat;

/// <summary>
/// Runs one generation to its end: searches the documents and stores the sources, streams from the
/// model into the in-memory buffer, flushes the text to the database on a timer (never per token),
/// stores the final state, and names a new chat.
/// </summary>
internal sealed class GenerationRunner(
    IDbContextFactory<NovaDbContext> contexts,
    IModelRouter router,
    ChatGrounding grounding,
    TimeProvider time,
    IOptionsMonitor<NovaChatOptions> options,
    ChatWriteGate writes,
    ILogger logger)
{
    private const string InterruptedReason = "Nova stopped while this answer was being written; the text up to then is kept.";
    private static readonly TimeSpan TitleTimeout = TimeSpan.FromSeconds(30);
    private const int MaxFinalWriteRetryDelaySeconds = 30;

    public event Action<ConversationTitleChanged>? TitleChanged;

    /// <summary>Runs the generation; <paramref name="answered"/> is called once the answer is stored, before the chat is named.</summary>
    public async Task RunAsync(Generation generation, Action answered, CancellationToken shutdown)
    {
        var request = generation.Request;
        using var stopFlushing = new CancellationTokenSource();
        var flushing = FlushLoopAsync(generation, stopFlushing.Token);
        ResolvedModel? model = null;
        MessageStatus status;
        string? error = null;
        try
        {
            var grounded = await GroundAsync(generation);
            model = router.Resolve(request.ModelId);
            if (model is null)
            {
                generation.Append(RetrievalOnlyNotice.For(grounded));
            }
            else
            {
                generation.SetModel(model.ModelId, model.EndpointName);
                await StreamAsync(generation, model, grounded.Messages);
                generation.CountMissingUsage(grounded.Messages);
            }
            status = MessageStatus.Completed;
            if (generation.Text().Text.Length == 0)
            {
                (status, error) = (MessageStatus.Failed, FailureReason.EmptyAnswer);
            }
        }
        catch (Exception) when (generation.Cancellation.IsCancellationRequested)
        {
            (status, error) = generation.StopRequested ? (MessageStatus.Stopped, null) : (MessageStatus.Interrupted, InterruptedReason);
        }
        catch (Exception e)
        {
            // The user sees a plain reason and the reference; the exception, which may name internal hosts or
            // carry what a model server said, goes only to the log, under the same reference.
            var reference = FailureReason.NewReference();
            logger.LogWarning(e, "Generation {MessageId} failed on model {Model} (reference {ErrorReference})",
                request.MessageId, model?.ModelId, reference);
            (status, error) = (MessageStatus.Failed, FailureReason.Describe(e, reference));
        }

        await stopFlushing.CancelAsync();
        await flushing;
        var final = generation.Finish(status, error);
        await StoreFinalAsync(final, shutdown);
        // The slot is freed before subscribers hear the end, so a client that sends its next
        // question the moment an answer ends is not refused as still busy.
        answered();
        generation.Complete(final);

        if (status == MessageStatus.Completed && model is not null && request.TitleSource is { } question && options.CurrentValue.GenerateTitles)
        {
            await NameConversationAsync(request, model, question, final.Text, shutdown);
        }
    }

    /// <summary>
    /// Searches the chat's documents with the owner's roles as they are now and stores the sources with the
    /// answer before the model is asked, so citations work while it streams and after any later change.
    /// </summary>
    private async Task<GroundedPrompt> GroundAsync(Generation generation)
    {
        var request = generation.Request;
        var cancellation = generation.Cancellation.Token;
        try
        {
            var grounded = await grounding.GroundAsync(request.OwnerId, request.Prompt, request.Documents, generation.BeginSearch, cancellation);
            if (grounded.Sources.Count > 0)
            {
                var sources = grounded.Sources.Select(s => ToStored(request.MessageId, s)).ToList();
                await using var db = await contexts.CreateDbContextAsync(cancellation);
                db.AddRange(sources);
                await db.SaveChangesAsync(cancellation);
                generation.SetSources([.. sources.Select(s => ChatMapping.ToView(s, documentRemoved: false))]);
            }
            else if (grounded.Searched)
            {
                generation.SetSources([]);
            }
            return grounded;
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            throw new DocumentSearchException(e);
        }
    }

    private static MessageSource ToStored(Guid messageId, GroundingSource source) => new()
    {
        MessageId = messageId,
        Number = source.Number,
        ChunkId = source.ChunkId,
        DocumentId = source.DocumentId,
        DocumentName = Truncate(source.DocumentName, Rag.Model.Document.MaxDisplayNameLength),
        Page = source.Page,
        HeadingPath = Truncate(source.HeadingPath, MessageSource.MaxHeadingPathLength),
        Snippet = Truncate(source.Snippet, MessageSource.MaxSnippetLength),
        Score = source.Score,
    };

    private static async Task StreamAsync(Generation generation, ResolvedModel model, IReadOnlyList<AiMessage> prompt)
    {
        var request = generation.Request;
        var chatOptions = new ChatOptions
        {
            ModelId = model.ModelId,
            Temperature = request.Temperature,
            MaxOutputTokens = request.MaxTokens,
        };
        var cancellation = generation.Cancellation.Token;
        await foreach (var update in model.Client.GetStreamingResponseAsync(prompt, chatOptions, cancellation).WithCancellation(cancellation))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        generation.Append(text.Text);
                        break;
                    case UsageContent usage:
                        generation.RecordUsage(usage.Details);
                        break;
                }
            }
        }
    }

    private async Task FlushLoopAsync(Generation generation, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.FlushInterval, time);
        var flushed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var (text, version) = generation.Text();
                if (version == flushed)
                {
                    continue;
                }
                try
                {
                    using var turn = await writes.EnterAsync(stop);
                    await using var db = await contexts.CreateDbContextAsync(stop);
                    await db.Set<ChatMessage>().Where(m => m.Id == generation.MessageId)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.Content, text), stop);
                    flushed = version;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick or the final write tries again; the text is safe in memory meanwhile.
                    logger.LogWarning(e, "Flushing generation {MessageId} failed", generation.MessageId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The generation ended; its final write follows.
        }
    }

    /// <summary>
    /// Stores the end of the answer, trying again with a growing pause until the database takes it: until then the
    /// generation stays in the registry, so readers see it live and its chat stays busy. Only when the host stops
    /// does it give up (after one more attempt); the next start then marks the message Interrupted.
    /// </summary>
    private async Task StoreFinalAsync(GenerationState final, CancellationToken shutdown)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var turn = await writes.EnterAsync();
                await using var db = await contexts.CreateDbContextAsync();
                var usage = final.Usage;
                await db.Set<ChatMessage>().Where(m => m.Id == final.MessageId).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Content, final.Text)
                    .SetProperty(m => m.Status, final.Status)
                    .SetProperty(m => m.Error, final.Error)
                    .SetProperty(m => m.PromptTokens, usage.PromptTokens)
                    .SetProperty(m => m.CompletionTokens, usage.CompletionTokens)
                    .SetProperty(m => m.UsageEstimated, usage.Estimated)
                    .SetProperty(m => m.TimeToFirstTokenMs, usage.TimeToFirstTokenMs)
                    .SetProperty(m => m.TokensPerSecond, usage.TokensPerSecond)
                    .SetProperty(m => m.Model, usage.Model)
                    .SetProperty(m => m.Endpoint, usage.Endpoint));
                if (attempt > 0)
                {
                    logger.LogInformation("Stored generation {MessageId} after {Attempts} attempts", final.MessageId, attempt + 1);
                }
                return;
            }
            catch (Exception e) when (!shutdown.IsCancellationRequested)
            {
                logger.LogWarning(e, "Storing generation {MessageId} failed; trying again", final.MessageId);
                try
                {
                    await Task.Delay(FinalWriteRetryDelay(attempt), time, shutdown);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: one more attempt, then the next start recovers the message.
                }
            }
            catch (Exception e)
            {
                // The last flushed text stays, and the next start marks the message Interrupted.
                logger.LogError(e, "Storing generation {MessageId} failed while shutting down", final.MessageId);
                return;
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s … up to 30 s between attempts: a short outage is bridged quickly, a long one is not hammered.</summary>
    private static TimeSpan FinalWriteRetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxFinalWriteRetryDelaySeconds, 1 << Math.Min(attempt, 5)));

    private async Task NameConversationAsync(GenerationRequest request, ResolvedModel model, string question, string answer, CancellationToken shutdown)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TitleTimeout, time);
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, shutdown);
            AiMessage[] prompt =
            [
                new(ChatRole.System,
                    "You name conversations. Reply with a title of at most six words for the conversation below, " +
                    "in the language of the question. Reply with the title only."),
                new(ChatRole.User, $"Question:\n{Truncate(question, 2000)}\n\nAnswer:\n{Truncate(answer, 2000)}"),
            ];
            // The background client: a server that refuses titles must not open the circuit for users' requests.
            var response = await model.BackgroundClient.GetResponseAsync(
                prompt, new ChatOptions { ModelId = model.ModelId, MaxOutputTokens = 32, Temperature = 0.2f }, cancellation.Token);
            if (TitleText.FromModel(response.Text) is not { } title)
            {
                return;
            }
            await using var db = await contexts.CreateDbContextAsync(cancellation.Token);
            // A rename while the title was being written wins.
            var named = await db.Set<Conversation>().Where(c => c.Id == request.ConversationId && !c.HasCustomTitle)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Title, title).SetProperty(c => c.HasCustomTitle, true), cancellation.Token);
            if (named > 0)
            {
                TitleChanged?.Invoke(new ConversationTitleChanged(request.OwnerId, request.ConversationId, title));
            }
        }
        catch (Exception e)
        {
            // The chat keeps the start of its first question as its title.
            logger.LogInformation(e, "Naming conversation {ConversationId} failed", request.ConversationId);
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Nova.App.Api.Errors;
using Nova.Services.Chat;
using Nova.Services.Chat.Data;
using Nova.Services.Chat.Grounding;
using Nova.Services.Llm;
using Nova.Services.Rag.Retrieval;

namespace Nova.App.Api.OpenAi;

/// <summary>
/// /api/v1/models and /api/v1/chat/completions in the OpenAI wire format, so OpenAI SDKs and tools can
/// use Nova. A completion is stateless unless the client asks for it to be kept (<see cref="StatelessRelay"/>);
/// a kept one runs through the same chat pipeline as the UI and shows in the caller's chat list.
/// </summary>
public static class ChatCompletionsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Answers carry the chat's id here, so a client can continue it with <c>conversation_id</c>.</summary>
    public const string ConversationHeader = "X-Nova-Conversation-Id";

    private const string ModelUnavailableRetryAfterSeconds = "5";

    public static IEndpointRouteBuilder MapChatCompletionsApi(this IEndpointRouteBuilder api)
    {
        var openAi = api.MapGroup("").WithTags("OpenAI-compatible").WithOpenAiErrors();

        openAi.MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithSummary("List the models that can answer now (OpenAI format)");

        openAi.MapEmbeddings();

        openAi.MapGet("/models/{id}", GetModel)
            .WithName("GetModel")
            .WithSummary("One model that can answer now (OpenAI format); 404 when it cannot");

        openAi.MapCompletion("/chat/completions", grounded: false)
            .WithName("CreateChatCompletion")
            .WithSummary("Answer a chat (OpenAI Chat Completions format), streamed or whole")
            .WithDescription(
                "The request's messages are the conversation, sent to the model as given; nothing is stored. With 'store': true (or an " +
                "Idempotency-Key) it is kept as a new chat of yours; with Nova's 'conversation_id' the last user message continues that " +
                $"chat after its stored history. A stored chat's id is returned in {ConversationHeader}.");

        openAi.MapCompletion("/chat/rag", grounded: true)
            .WithName("CreateGroundedChatCompletion")
            .WithSummary("Answer a chat grounded in documents, with its sources (OpenAI Chat Completions format plus 'sources')")
            .WithDescription(
                "As /chat/completions, with an optional 'collection_ids' array naming the collections to search (absent: every collection " +
                "you may read; one you may not read answers 404). The answer carries 'sources', best first: as a top-level field of the " +
                "completion, or on the first chunk of a stream, before the text.");

        return api;
    }

    /// <summary>
    /// A POST endpoint that answers in the Chat Completions format, streamed or whole. Each answer it starts draws
    /// once on the per-user chat limit, in <see cref="ChatService"/>, the same bucket as the chat page's.
    /// </summary>
    private static RouteHandlerBuilder MapCompletion(this RouteGroupBuilder group, string pattern, bool grounded) =>
        group.MapPost(pattern, (HttpContext context, [AsParameters] CompletionServices services) => AnswerAsync(context, services, grounded))
            .Accepts<ChatCompletionRequest>("application/json")
            .Produces<ChatCompletionResponse>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    private static IResult ListModels(IModelRouter router, IEmbeddingGenerator<string, Embedding<float>> embeddings, TimeProvider time) =>
        TypedResults.Json(new ModelList("list", AvailableModels(router, embeddings, time)), OpenAiJson.Options);

    private static IResult GetModel(string id, IModelRouter router, IEmbeddingGenerator<string, Embedding<float>> embeddings, TimeProvider time) =>
        AvailableModels(router, embeddings, time).FirstOrDefault(m => m.Id == id) is { } model
            ? TypedResults.Json(model, OpenAiJson.Options)
            : OpenAiErrors.Result(StatusCodes.Status404NotFound, $"The model '{id}' does not exist or is not served by Nova.",
                OpenAiErrors.InvalidRequest, "model", "model_not_found");

    /// <summary>The chat models that can answer now, then the embedding model (in-process or configured, always listed).</summary>
    private static List<ModelEntry> AvailableModels(IModelRouter router, IEmbeddingGenerator<string, Embedding<float>> embeddings, TimeProvider time)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        return [.. router.ListModels()
            .Where(m => m.IsAvailable)
            .Select(m => m.Id)
            .Append(EmbeddingsApi.ModelId(embeddings))
            .Distinct()
            .Select(id => new ModelEntry(id, "model", created, "nova"))];
    }

    /// <summary>What answering a completion needs, injected into both endpoints.</summary>
    internal sealed record CompletionServices(
        ChatService Chat, GenerationRegistry Registry, IModelRouter Router, CompletionRetries Retries,
        IOptionsMonitor<NovaChatOptions> Options, TimeProvider Time, CollectionAccess Access, StatelessCompletions Stateless);

    /// <summary>Answers a completion; <paramref name="grounded"/> (/chat/rag) searches the request's collections and returns the sources.</summary>
    private static async Task AnswerAsync(HttpContext context, CompletionServices services, bool grounded)
    {
        var (chat, registry, retries, time) = (services.Chat, services.Registry, services.Retries, services.Time);
        var result = await StartAsync(context, services, grounded);
        if (result.Error is { } error)
        {
            await error.ExecuteAsync(context);
            return;
        }
        if (result.Stateless is { } stateless)
        {
            await RelayAsync(context, services, result, stateless);
            return;
        }
        var (completion, turn) = (result.Completion!, result.Turn!);
        var userId = UserId(context.User);
        var writer = new CompletionWriter(context, completion, turn.AssistantMessageId, time.GetUtcNow().ToUnixTimeSeconds(),
            result.MaxTokens, grounded);
        context.Response.Headers[ConversationHeader] = turn.ConversationId.ToString();
        MessageStatus? outcome = null;
        try
        {
            // A stream passes every token on as it arrives; a whole answer only needs to hear when it ends.
            using var watch = await GenerationWatch.StartAsync(registry, userId, turn.AssistantMessageId, everyChange: completion.Stream, context.RequestAborted);
            await (completion.Stream ? writer.StreamAsync(watch) : writer.WriteWholeAsync(watch));
            outcome = watch.Current.Status;
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away: stop the answer so the model server's request is cancelled too.
            await chat.StopAsync(userId, turn.AssistantMessageId, CancellationToken.None);
        }
        finally
        {
            // The retry window runs from the end of the answer: a client retries after hearing it failed.
            await retries.RememberAsync(userId, result.Key, turn, outcome);
        }
    }

    /// <summary>A completion not kept by Nova: the model answers the request's messages and nothing is stored.</summary>
    private static async Task RelayAsync(HttpContext context, CompletionServices services, Started result, StatelessStart stateless)
    {
        using var lease = stateless.Lease;
        try
        {
            await StatelessRelay.AnswerAsync(context, services.Stateless, stateless.Model, result.Completion!, result.MaxTokens,
                services.Time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away; leaving the model's stream has cancelled its request.
        }
    }

    private sealed record Started(
        IResult? Error, ValidCompletion? Completion = null, ChatTurn? Turn = null, int MaxTokens = 0, CompletionRequestKey Key = default,
        StatelessStart? Stateless = null);

    /// <summary>The model a stateless completion goes to, and the user's place for it (disposed when it ends).</summary>
    private sealed record StatelessStart(ResolvedModel Model, IDisposable Lease);

    private static async Task<Started> StartAsync(HttpContext context, CompletionServices services, bool grounded)
    {
        var (chat, router, retries, options) = (services.Chat, services.Router, services.Retries, services.Options.CurrentValue);
        ChatCompletionRequest? request;
        // The body is at most Nova:Api:MaxBodyBytes; it is kept whole to recognise a retry of the same request.
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.GetBuffer().AsMemory(0, (int)body.Length);
        try
        {
            request = JsonSerializer.Deserialize<ChatCompletionRequest>(bytes.Span, OpenAiJson.Options);
        }
        catch (JsonException e)
        {
            return new(OpenAiErrors.Result(StatusCodes.Status400BadRequest, $"The request body is not valid JSON for a chat completion: {e.Message}",
                OpenAiErrors.InvalidRequest, e.Path, "invalid_json"));
        }
        if (request is null)
        {
            return new(OpenAiErrors.Result(StatusCodes.Status400BadRequest, "The request body must be a JSON object.", OpenAiErrors.InvalidRequest, null, "invalid_json"));
        }
        if (ChatCompletionValidation.Validate(request, options, out var completion) is { } invalid)
        {
            return new(invalid);
        }
        DocumentScope? documents = null;
        if (grounded)
        {
            (documents, var refused) = await RagScope.ReadAsync(bytes, UserId(context.User), services.Access, context.RequestAborted);
            if (refused is not null)
            {
                return new(refused);
            }
        }
        var models = router.ListModels();
        if (!models.Any(m => m.IsAvailable) || router.Resolve(completion.Model) is null && models.Any(m => m.Id == completion.Model))
        {
            return new(ModelUnavailable(context));
        }
        if (!models.Any(m => m.IsAvailable && m.Id == completion.Model))
        {
            return new(OpenAiErrors.Result(StatusCodes.Status404NotFound, $"The model '{completion.Model}' does not exist or is not served by Nova.",
                OpenAiErrors.InvalidRequest, "model", "model_not_found"));
        }
        var header = context.Request.Headers[IdempotencyHeader].ToString();
        var userId = UserId(context.User);
        try
        {
            // Only a stored answer can be continued, grounded with its sources, or given again for the same key.
            if (!completion.Store && completion.ConversationId is null && !grounded && header.Length == 0)
            {
                return await StartStatelessAsync(context, services, userId, completion, options);
            }
            var requestKey = CompletionRequestKey.For(header, bytes.Span);
            if (await retries.ResumeAsync(chat, userId, requestKey, context.RequestAborted) is { } resumed)
            {
                return new(null, completion, resumed.Turn, MaxTokens(chat, resumed.Settings, options), requestKey);
            }
            var key = header.Length > 0 ? header : Guid.NewGuid().ToString();
            ConversationSettings settings;
            ChatTurn turn;
            if (completion.ConversationId is { } conversationId)
            {
                settings = await ContinueConversationAsync(chat, userId, conversationId, completion, documents, context.RequestAborted);
                turn = await chat.SendAsync(userId, conversationId, completion.Question, key, context.RequestAborted);
            }
            else
            {
                // A new chat seeded with the request's system messages and earlier turns, stored with its question in one write.
                // Chat completions are not grounded in documents; that is what /chat/rag is for.
                settings = new ConversationSettings(completion.Model, completion.SystemPrompt, completion.Temperature, completion.MaxTokens);
                turn = await chat.StartChatAsync(userId, documents ?? DocumentScope.Off, settings, History(completion), completion.Question, key,
                    context.RequestAborted);
            }
            await retries.RememberAsync(userId, requestKey, turn);
            return new(null, completion, turn, MaxTokens(chat, settings, options), requestKey);
        }
        catch (ChatException e)
        {
            return new(ErrorFor(context, e));
        }
    }

    /// <exception cref="ChatException">The user's limits refuse another answer now.</exception>
    private static async Task<Started> StartStatelessAsync(
        HttpContext context, CompletionServices services, string userId, ValidCompletion completion, NovaChatOptions options)
    {
        if (services.Router.Resolve(completion.Model) is not { } model)
        {
            return new(ModelUnavailable(context));
        }
        var maxTokens = completion.MaxTokens ?? services.Chat.Defaults.MaxTokens ?? options.DefaultMaxTokens;
        return new(null, completion, MaxTokens: Math.Min(maxTokens, options.MaxTokensLimit),
            Stateless: new StatelessStart(model, await services.Stateless.BeginAsync(userId, context.RequestAborted)));
    }

    /// <summary>503 with <c>Retry-After</c>, so an SDK's retry waits a moment for a model server to come back.</summary>
    private static IResult ModelUnavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = ModelUnavailableRetryAfterSeconds;
        return OpenAiErrors.Result(StatusCodes.Status503ServiceUnavailable,
            "No model is connected to Nova right now, so it cannot answer. Try again once a model server is reachable.",
            OpenAiErrors.Server, null, "model_unavailable");
    }

    /// <summary>The request's user and assistant messages before its question, in order.</summary>
    private static List<HistoryMessage> History(ValidCompletion completion) =>
        [.. completion.Messages.SkipLast(1).Where(m => m.Role != "system")
            .Select(m => new HistoryMessage(m.Role == "user" ? MessageRole.User : MessageRole.Assistant, m.Content))];

    private static int MaxTokens(ChatService chat, ConversationSettings settings, NovaChatOptions options) =>
        settings.MaxTokens ?? chat.Defaults.MaxTokens ?? options.DefaultMaxTokens;

    /// <summary>
    /// Gives the chat named by <c>conversation_id</c> (the caller's only) the request's model and sampling settings.
    /// A grounded request sets the chat's documents to <paramref name="documents"/>, so its answer searches them and
    /// stores the sources; a plain one leaves them as they are.
    /// </summary>
    private static async Task<ConversationSettings> ContinueConversationAsync(
        ChatService chat, string userId, Guid id, ValidCompletion completion, DocumentScope? documents, CancellationToken cancellationToken)
    {
        if (documents is not null)
        {
            await chat.SetDocumentScopeAsync(userId, id, documents, cancellationToken);
        }
        var stored = (await chat.GetAsync(userId, id, cancellationToken)).Settings;
        var continued = stored with
        {
            Model = completion.Model,
            Temperature = completion.Temperature ?? stored.Temperature,
            MaxTokens = completion.MaxTokens ?? stored.MaxTokens,
        };
        return await chat.UpdateSettingsAsync(userId, id, continued, cancellationToken);
    }

    private static IResult ErrorFor(HttpContext context, ChatException exception)
    {
        switch (exception)
        {
            case ChatNotFoundException:
                return OpenAiErrors.Result(StatusCodes.Status404NotFound, "You have no conversation with that id.", OpenAiErrors.NotFound, "conversation_id", "conversation_not_found");
            case ChatRateLimitException limited:
                context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return OpenAiErrors.Result(StatusCodes.Status429TooManyRequests, limited.Message, OpenAiErrors.RateLimit, null, "rate_limit_exceeded");
            case ChatLimitException:
                context.Response.Headers.RetryAfter = "5";
                return OpenAiErrors.Result(StatusCodes.Status429TooManyRequests, exception.Message, OpenAiErrors.RateLimit, null, "too_many_generations");
            case ChatUnavailableException:
                context.Response.Headers.RetryAfter = "5";
                return OpenAiErrors.Result(StatusCodes.Status503ServiceUnavailable, exception.Message, OpenAiErrors.Server, null, "server_restarting");
            case ChatConflictException:
                return OpenAiErrors.Result(StatusCodes.Status409Conflict, exception.Message, OpenAiErrors.InvalidRequest, "conversation_id", "conversation_busy");
            default:
                return OpenAiErrors.Result(StatusCodes.Status400BadRequest, exception.Message, OpenAiErrors.InvalidRequest, null, "invalid_value");
        }
    }

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An API endpoint ran without an authenticated user.");
}

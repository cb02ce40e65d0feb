using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nova.Fakes;

/// <summary>
/// A model server on a real loopback port that speaks a wire protocol token by token, with
/// scripted latency and faults. Subclasses supply the protocol; this class owns hosting,
/// pacing, faults and the record of what clients asked for. Can be stopped and started again
/// on the same port, as a real server going down and coming back.
/// </summary>
public abstract partial class FakeLlmServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeLlmFault> _nextFaults = new();
    private readonly ConcurrentQueue<FakeChatRequest> _chatRequests = new();
    private readonly TaskCompletionSource<FakeChatRequest> _firstCancellation = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _port;
    private int _modelListRequests;

    public IReadOnlyList<string> Models { get; set; } = ["fake-model"];

    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Pace after the first token; zero or less sends tokens as fast as the socket takes them.</summary>
    public double TokensPerSecond { get; set; } = 50;

    /// <summary>The answer to every request; null echoes the last user message.</summary>
    public string? Answer { get; set; }

    /// <summary>Applies to every chat request not covered by <see cref="FailNext"/>.</summary>
    public FakeLlmFault Fault { get; set; }

    /// <summary>A fault chosen by what a request asks (None: the next rule applies); checked before <see cref="FailNext"/> and <see cref="Fault"/>.</summary>
    public Func<FakeChatRequest, FakeLlmFault>? FaultFor { get; set; }

    public int FaultAfterTokens { get; set; } = 3;

    /// <summary>False: token counts are left out of answers, as some servers (and proxies in front of them) do.</summary>
    public bool ReportsUsage { get; set; } = true;

    /// <summary>Sent as Retry-After with <see cref="FakeLlmFault.Status429"/>.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>When set, the model list answers with this status and an error body.</summary>
    public int? ModelListStatus { get; set; }

    /// <summary>How long the model list takes to answer, as on a server too busy to answer it quickly.</summary>
    public TimeSpan ModelListDelay { get; set; }

    /// <summary>Drives pacing and timestamps.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The server root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri RootUrl => _port == 0 ? throw new InvalidOperationException("The fake server has not been started.") : new($"http://127.0.0.1:{_port}/");

    /// <summary>What Nova's <c>BaseUrl</c> setting should hold for this server.</summary>
    public abstract Uri BaseUrl { get; }

    public IReadOnlyList<FakeChatRequest> ChatRequests => [.. _chatRequests];

    /// <summary>Raised as each chat request arrives, before it is answered.</summary>
    public event Action<FakeChatRequest>? ChatRequestReceived;

    public int ModelListRequests => Volatile.Read(ref _modelListRequests);

    /// <summary>Completes with the first chat request whose client went away before the answer was complete.</summary>
    public Task<FakeChatRequest> ClientCancelled => _firstCancellation.Task;

    /// <summary>Makes the next <paramref name="times"/> chat requests fail with <paramref name="fault"/>.</summary>
    public void FailNext(FakeLlmFault fault, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            _nextFaults.Enqueue(fault);
        }
    }

    public async Task StartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The fake server is already running.");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var app = builder.Build();
        Map(app);
        await app.StartAsync();
        _port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    /// <summary>Stops listening; open requests are cut. <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            // A cancelled token skips the graceful drain: open requests are cut like a crashed server's.
            await app.StopAsync(new CancellationToken(canceled: true));
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract void Map(WebApplication app);

    /// <summary>Content type of a streamed answer.</summary>
    protected abstract string StreamContentType { get; }

    protected abstract string TokenFrame(FakeChatRequest request, string token, bool first);

    /// <summary>Everything after the last token, end marker included.</summary>
    protected abstract string EndFrames(FakeChatRequest request, Usage usage);

    protected abstract string MalformedFrame { get; }

    protected abstract Task WriteErrorAsync(HttpContext context, int status, string message);

    protected abstract Task WriteCompleteAnswerAsync(HttpContext context, FakeChatRequest request, string answer, Usage usage);

    /// <summary>Counts a model list request and holds its answer for <see cref="ModelListDelay"/>.</summary>
    protected Task BeginModelListAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _modelListRequests);
        return PaceAsync(ModelListDelay, cancellationToken);
    }

    protected string Timestamp() => Time.GetUtcNow().ToString("O");

    protected long UnixTime() => Time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Reads, records and answers one chat request: error, streamed or whole.</summary>
    protected async Task HandleChatAsync(HttpContext context, bool streamByDefault)
    {
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The request body is not valid JSON.");
            return;
        }
        var request = new FakeChatRequest(body, context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null);
        _chatRequests.Enqueue(request);
        ChatRequestReceived?.Invoke(request);

        var fault = FaultFor?.Invoke(request) is { } chosen and not FakeLlmFault.None ? chosen
            : _nextFaults.TryDequeue(out var next) ? next : Fault;
        if (fault is FakeLlmFault.Status400)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Scripted refusal of this request's content.");
            return;
        }
        if (fault is FakeLlmFault.Status500 or FakeLlmFault.Status429)
        {
            if (fault == FakeLlmFault.Status429 && RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await WriteErrorAsync(
                context,
                fault == FakeLlmFault.Status500 ? StatusCodes.Status500InternalServerError : StatusCodes.Status429TooManyRequests,
                fault == FakeLlmFault.Status500 ? "Scripted server error." : "Scripted rate limit.");
            return;
        }
        if (!Models.Contains(request.Model))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"The model '{request.Model}' does not exist.");
            return;
        }

        var answer = Answer ?? request.LastUserMessage;
        var tokens = Tokenize(answer);
        var promptTokens = request.Messages.Sum(m => Tokenize(m.Text).Count);
        var stream = body.TryGetProperty("stream", out var s) ? s.ValueKind == JsonValueKind.True : streamByDefault;
        try
        {
            if (stream)
            {
                await StreamAsync(context, request, tokens, promptTokens, fault);
            }
            else
            {
                await PaceAsync(TimeToFirstToken + TokenInterval() * Math.Max(tokens.Count - 1, 0), context.RequestAborted);
                await WriteCompleteAnswerAsync(context, request, answer, new Usage(promptTokens, tokens.Count));
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            request.MarkCancelled();
            _firstCancellation.TrySetResult(request);
        }
    }

    private async Task StreamAsync(HttpContext context, FakeChatRequest request, List<string> tokens, int promptTokens, FakeLlmFault fault)
    {
        var aborted = context.RequestAborted;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = StreamContentType;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted);
        await context.Response.Body.FlushAsync(aborted);
        await PaceAsync(TimeToFirstToken, aborted);

        for (var i = 0; ; i++)
        {
            // Pacing before a fault models a server that dies while producing the next token, and
            // gives tokens already flushed time to leave Kestrel, whose Abort drops unsent output.
            if (i > 0)
            {
                await PaceAsync(TokenInterval(), aborted);
            }
            if (fault != FakeLlmFault.None && i == FaultAfterTokens)
            {
                switch (fault)
                {
                    case FakeLlmFault.DisconnectAfterTokens:
                        context.Abort();
                        return;
                    case FakeLlmFault.NoEndMarker:
                        return;
                    case FakeLlmFault.Hang:
                        await Task.Delay(Timeout.InfiniteTimeSpan, Time, aborted);
                        return;
                    case FakeLlmFault.MalformedChunk:
                        await WriteAsync(context, MalformedFrame);
                        break;
                }
            }
            if (i == tokens.Count)
            {
                break;
            }
            await WriteAsync(context, TokenFrame(request, tokens[i], first: i == 0));
            request.CountToken();
        }
        await WriteAsync(context, EndFrames(request, new Usage(promptTokens, tokens.Count)));
    }

    private static async Task WriteAsync(HttpContext context, string frame)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private TimeSpan TokenInterval() =>
        TokensPerSecond is > 0 and < double.PositiveInfinity ? TimeSpan.FromSeconds(1 / TokensPerSecond) : TimeSpan.Zero;

    private Task PaceAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, Time, cancellationToken) : Task.CompletedTask;

    /// <summary>Words with their leading whitespace, so the tokens concatenate back to the text.</summary>
    public static List<string> Tokenize(string text) => [.. TokenPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex TokenPattern();

    protected readonly record struct Usage(int PromptTokens, int CompletionTokens);
}

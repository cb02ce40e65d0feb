using Microsoft.Extensions.AI;
using Nova.Fakes;

namespace Nova.Tests.Unit.Llm;

/// <summary>The real OpenAI and Ollama chat clients, through Nova's pipeline, against the protocol fakes.</summary>
public sealed class LlmStreamingTests
{
    private const string Answer = "The quick brown fox jumps over the lazy dog.";

    internal static FakeLlmServer NewServer(string kind) => kind == "Ollama" ? new FakeOllamaServer() : new FakeOpenAiServer();

    private static async Task<(FakeLlmServer Server, LlmTestHost Host)> StartAsync(string kind, Action<FakeLlmServer>? configure = null)
    {
        var server = NewServer(kind);
        server.Answer = Answer;
        server.TimeToFirstToken = TimeSpan.Zero;
        server.TokensPerSecond = 0;
        configure?.Invoke(server);
        await server.StartAsync();
        return (server, await LlmTestHost.StartAsync(("fake", server)));
    }

    private static IAsyncEnumerable<ChatResponseUpdate> Ask(LlmTestHost host, string question = "Say something about foxes", CancellationToken cancellationToken = default) =>
        host.Router.Resolve("fake-model")!.Client.GetStreamingResponseAsync(question, cancellationToken: cancellationToken);

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task TokensArriveInOrderAndUsageIsReported(string kind)
    {
        var (server, host) = await StartAsync(kind);
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host, "Say something about foxes"));

        Assert.Null(result.Error);
        Assert.Equal(FakeLlmServer.Tokenize(Answer), result.Tokens);
        Assert.NotNull(result.Usage);
        Assert.Equal(4, result.Usage.InputTokenCount);
        Assert.Equal(9, result.Usage.OutputTokenCount);
        Assert.Contains(result.Updates, u => u.FinishReason == ChatFinishReason.Stop);
        var request = Assert.Single(server.ChatRequests);
        Assert.Equal("fake-model", request.Model);
        Assert.Equal("Say something about foxes", request.LastUserMessage);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task AWholeAnswerCarriesTextAndUsage(string kind)
    {
        var (server, host) = await StartAsync(kind);
        await using var _ = server;
        await using var __ = host;

        var response = await host.Router.Resolve("fake-model")!.Client.GetResponseAsync("Say something about foxes");

        Assert.Equal(Answer, response.Text);
        Assert.Equal(9, response.Usage?.OutputTokenCount);
        Assert.Equal(4, response.Usage?.InputTokenCount);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task WithoutAScriptTheFakeEchoesTheQuestion(string kind)
    {
        var (server, host) = await StartAsync(kind, s => s.Answer = null);
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host, "echo these four words"));

        Assert.Null(result.Error);
        Assert.Equal(["echo", " these", " four", " words"], result.Tokens);
    }

    [Theory]
    [InlineData("OpenAI", FakeLlmFault.Status500)]
    [InlineData("OpenAI", FakeLlmFault.Status429)]
    [InlineData("Ollama", FakeLlmFault.Status500)]
    [InlineData("Ollama", FakeLlmFault.Status429)]
    public async Task AnErrorBeforeTheFirstTokenIsRetriedAndTheRetrySucceeds(string kind, FakeLlmFault fault)
    {
        var (server, host) = await StartAsync(kind);
        await using var _ = server;
        await using var __ = host;
        server.FailNext(fault);

        var result = await ChatStreams.ReadAsync(Ask(host));

        Assert.Null(result.Error);
        Assert.Equal(Answer, result.Text);
        Assert.Equal(2, server.ChatRequests.Count);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task ErrorsThatOutlastTheRetriesReachTheCaller(string kind)
    {
        var (server, host) = await StartAsync(kind, s => s.Fault = FakeLlmFault.Status500);
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host));

        Assert.NotNull(result.Error);
        Assert.Empty(result.Tokens);
        Assert.Equal(3, server.ChatRequests.Count);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task ADisconnectMidStreamFailsAfterThePartialTokensAndIsNotRetried(string kind)
    {
        var (server, host) = await StartAsync(kind, s => (s.Fault, s.FaultAfterTokens, s.TokensPerSecond) = (FakeLlmFault.DisconnectAfterTokens, 3, 20));
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host));

        Assert.NotNull(result.Error);
        Assert.IsNotType<TimeoutException>(result.Error);
        Assert.Equal(FakeLlmServer.Tokenize(Answer)[..3], result.Tokens);
        Assert.Single(server.ChatRequests);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task AMalformedChunkFailsTheStreamAfterThePartialTokens(string kind)
    {
        var (server, host) = await StartAsync(kind, s => (s.Fault, s.FaultAfterTokens) = (FakeLlmFault.MalformedChunk, 2));
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host));

        Assert.NotNull(result.Error);
        Assert.Equal(FakeLlmServer.Tokenize(Answer)[..2], result.Tokens);
        Assert.Single(server.ChatRequests);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task AStreamThatEndsWithoutItsEndMarkerIsReportedIncomplete(string kind)
    {
        var (server, host) = await StartAsync(kind, s => (s.Fault, s.FaultAfterTokens) = (FakeLlmFault.NoEndMarker, 4));
        await using var _ = server;
        await using var __ = host;

        var result = await ChatStreams.ReadAsync(Ask(host));

        Assert.IsType<Nova.Services.Llm.IncompleteResponseException>(result.Error);
        Assert.Equal(FakeLlmServer.Tokenize(Answer)[..4], result.Tokens);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task CancellingTheConsumerCancelsTheUpstreamRequest(string kind)
    {
        var (server, host) = await StartAsync(kind, s => (s.Fault, s.FaultAfterTokens) = (FakeLlmFault.Hang, 2));
        await using var _ = server;
        await using var __ = host;
        using var stop = new CancellationTokenSource();
        var tokens = new List<string>();

        var reading = Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in Ask(host, cancellationToken: stop.Token))
            {
                if (update.Text is { Length: > 0 } text)
                {
                    tokens.Add(text);
                }
                if (tokens.Count == 2)
                {
                    await stop.CancelAsync();
                }
            }
        });

        await reading;
        var cancelled = await server.ClientCancelled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, cancelled.TokensSent);
        Assert.Equal(2, tokens.Count);
        Assert.Single(server.ChatRequests);
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task NoFirstTokenInTimeIsATimeoutAndCancelsTheUpstreamRequest(string kind)
    {
        var server = NewServer(kind);
        (server.Fault, server.FaultAfterTokens) = (FakeLlmFault.Hang, 0);
        await using var _ = server;
        await server.StartAsync();
        var settings = LlmTestHost.Settings(("fake", server));
        settings["Nova:Llm:FirstTokenTimeout"] = "00:00:00.300";
        await using var host = LlmTestHost.Create(settings);
        await host.Catalog.RefreshAsync();

        var result = await ChatStreams.ReadAsync(Ask(host));

        var timeout = Assert.IsType<TimeoutException>(result.Error);
        Assert.Contains("fake-model", timeout.Message);
        Assert.Empty(result.Tokens);
        await server.ClientCancelled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("OpenAI")]
    [InlineData("Ollama")]
    public async Task TheApiKeyReachesTheServerAndNeverTheLogs(string kind)
    {
        const string Key = "sk-test-7f3a9c1e5b";
        var server = NewServer(kind);
        (server.Answer, server.TimeToFirstToken, server.TokensPerSecond) = (Answer, TimeSpan.Zero, 0);
        await using var _ = server;
        await server.StartAsync();
        var settings = LlmTestHost.Settings(("fake", server));
        settings["Nova:Llm:Endpoints:0:ApiKey"] = Key;
        await using var host = LlmTestHost.Create(settings);
        await host.Catalog.RefreshAsync();

        var ok = await ChatStreams.ReadAsync(Ask(host));
        server.Fault = FakeLlmFault.Status500;
        var failed = await ChatStreams.ReadAsync(Ask(host));

        Assert.Null(ok.Error);
        Assert.NotNull(failed.Error);
        Assert.All(server.ChatRequests, r => Assert.Equal($"Bearer {Key}", r.Authorization));
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(Key, StringComparison.Ordinal));
        Assert.DoesNotContain(Key, failed.Error.ToString(), StringComparison.Ordinal);
    }
}

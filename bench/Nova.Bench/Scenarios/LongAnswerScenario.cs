using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Nova.Bench.LongAnswer;
using Nova.Fakes;
using Nova.Services.Chat;
using Nova.Services.Llm;
using Nova.Services.Markdown;
using Nova.Services.Rag;

namespace Nova.Bench.Scenarios;

/// <summary>
/// Scenario 3: does a token cost the same at the end of a long answer as at its start? A markdown answer
/// with code blocks and tables, measured two ways, in process (the circuit itself is not driven here):
/// (a) Nova's incremental markdown renderer given the text after every single token, the worst case;
/// (b) the whole generation pipeline at the fake's default 50 tokens/s — ChatService and GenerationRegistry streaming from the fake model,
/// flushing to SQLite — watched as the chat's AssistantMessage watches it (coalesced notifications, each
/// reading only the text added since the last and rendering it incrementally). Costs per token in the last 10% of tokens are compared with the first 10%;
/// "bytes" are the render batches Blazor's own renderer and diff make of the chat's MarkdownBlocks for each update
/// (see <see cref="RenderedBytes"/>), which is what the circuit sends.
/// </summary>
public sealed class LongAnswerScenario : IBenchScenario
{
    public string Name => "long-answer";

    public async Task<BenchReport> RunAsync(BenchOptions options)
    {
        var answer = MarkdownAnswer.Build(options.Quick ? 1_000 : 4_000);
        var tokens = FakeLlmServer.Tokenize(answer);
        var report = new BenchReport(Name);

        await using var fake = new FakeOpenAiServer { Answer = answer, TokensPerSecond = options.Quick ? 1_000 : 50 };
        await fake.StartAsync();
        await using var host = await NovaServicesHost.StartAsync(new Dictionary<string, string?>
        {
            ["Nova:Llm:Endpoints:0:Name"] = "fake",
            ["Nova:Llm:Endpoints:0:Kind"] = "OpenAI",
            ["Nova:Llm:Endpoints:0:BaseUrl"] = fake.BaseUrl.ToString(),
            ["Nova:Chat:GenerateTitles"] = "false",
            ["Nova:Chat:DefaultMaxTokens"] = "8192",
        }, builder =>
        {
            builder.AddNovaRag();
            builder.AddNovaLlm();
            builder.AddNovaMarkdown();
            builder.AddNovaChat();
        });
        var markdown = host.Get<MarkdownRenderer>();

        // Warm-up, so the first 10% is not also the JIT's first run.
        RenderEveryToken(markdown, tokens[..Math.Min(200, tokens.Count)], wholeText: true);
        RenderEveryToken(markdown, tokens[..Math.Min(200, tokens.Count)], wholeText: false);
        AddWindows(report, "renderer alone, Update(whole text) per token", RenderEveryToken(markdown, tokens, wholeText: true), tokens.Count, cpu: false);
        AddWindows(report, "renderer alone, Append(token) per token", RenderEveryToken(markdown, tokens, wholeText: false), tokens.Count, cpu: false);

        await WaitForModelAsync(host.Get<IModelRouter>());
        // A first answer streamed as fast as it goes warms up the pipeline (JIT, database, connections).
        var answerRate = fake.TokensPerSecond;
        fake.TokensPerSecond = 0;
        await StreamThroughPipelineAsync(host, markdown, tokens);
        fake.TokensPerSecond = answerRate;
        var pipeline = await StreamThroughPipelineAsync(host, markdown, tokens);
        AddWindows(report, $"pipeline at {fake.TokensPerSecond:0} tokens/s, coalesced updates", pipeline, tokens.Count, cpu: true);
        return report;
    }

    /// <summary>One sample per update: tokens so far, time and allocations of the update (or process-wide since the start), bytes of its render batch.</summary>
    private sealed record Sample(int Tokens, double Microseconds, long Allocated, long Bytes, double ProcessCpuMicroseconds);

    private sealed record Run(List<Sample> Samples, long BytesSent, long FinalSize, BatchBytes Kinds);

    /// <summary>
    /// One update per token, given as the chat gives it (the whole text so far, a new string each time)
    /// or as only the new token.
    /// </summary>
    private static Run RenderEveryToken(MarkdownRenderer markdown, List<string> tokens, bool wholeText)
    {
        var renderer = markdown.CreateIncremental();
        var bytes = new RenderedBytes();
        var samples = new List<Sample>(tokens.Count);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var soFar = wholeText ? text.Append(tokens[i]).ToString() : "";
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var blocks = wholeText ? renderer.Update(soFar) : renderer.Append(tokens[i]);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            samples.Add(new Sample(i + 1, elapsed, GC.GetAllocatedBytesForCurrentThread() - allocated, bytes.Update(blocks), 0));
        }
        var final = renderer.Complete();
        bytes.Update(final);
        return new Run(samples, bytes.Total, RenderedBytes.SizeOf(final), bytes.Kinds);
    }

    private static async Task<Run> StreamThroughPipelineAsync(NovaServicesHost host, MarkdownRenderer markdown, List<string> tokens)
    {
        var ends = new int[tokens.Count];
        for (int i = 0, end = 0; i < tokens.Count; i++)
        {
            ends[i] = end += tokens[i].Length;
        }
        var userId = await host.CreateUserAsync("long-answer");
        using var scope = host.Services.CreateScope();
        var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
        var conversation = await chat.CreateAsync(userId);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var turn = await chat.SendAsync(userId, conversation.Id, "Write the long answer.", Guid.NewGuid().ToString());
        using var subscription = await host.Get<GenerationRegistry>().SubscribeAsync(turn.AssistantMessageId, userId, () => changed.Writer.TryWrite(true));

        using var process = Process.GetCurrentProcess();
        var renderer = markdown.CreateIncremental();
        var bytes = new RenderedBytes();
        var samples = new List<Sample>();
        // As the chat's AssistantMessage reads a live answer: only the text added since the last update.
        var read = 0;
        var progress = subscription.ReadProgress(ref read);
        while (!progress.IsFinal)
        {
            var started = Stopwatch.GetTimestamp();
            var blocks = renderer.Append(progress.Appended);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            process.Refresh();
            var at = Array.BinarySearch(ends, progress.Length);
            var tokensSoFar = at >= 0 ? at + 1 : ~at;
            samples.Add(new Sample(tokensSoFar, elapsed, GC.GetTotalAllocatedBytes(), bytes.Update(blocks), process.TotalProcessorTime.TotalMicroseconds));
            await changed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(2));
            progress = subscription.ReadProgress(ref read);
        }
        var state = subscription.Current;
        if (state.Text.Length != ends[^1])
        {
            throw new InvalidOperationException($"The answer ended {state.Status} with {state.Text.Length} of {ends[^1]} characters: {state.Error}");
        }
        renderer.Update(state.Text);
        var final = renderer.Complete();
        bytes.Update(final);
        return new Run(samples, bytes.Total, RenderedBytes.SizeOf(final), bytes.Kinds);
    }

    /// <summary>
    /// Per token in the first and the last 10% of tokens. With one sample per token, the medians of the
    /// samples; with coalesced samples, the process's CPU and allocations between the window's edges.
    /// </summary>
    private static void AddWindows(BenchReport report, string name, Run run, int tokens, bool cpu)
    {
        var tenth = tokens / 10;
        var first = run.Samples.Where(s => s.Tokens <= tenth).ToList();
        var last = run.Samples.Where(s => s.Tokens > tokens - tenth).ToList();
        if (first.Count < 2 || last.Count < 2)
        {
            throw new InvalidOperationException($"{name}: too few updates to compare ({first.Count} and {last.Count}).");
        }
        double PerToken(List<Sample> window, Func<Sample, double> value) =>
            window.Sum(value) / Math.Max(1, window[^1].Tokens - window[0].Tokens + (cpu ? 0 : 1));
        double Spent(List<Sample> window, Func<Sample, double> cumulative) =>
            (cumulative(window[^1]) - cumulative(window[0])) / (window[^1].Tokens - window[0].Tokens);

        var (cpuFirst, cpuLast, cpuUnit) = cpu
            ? (Spent(first, s => s.ProcessCpuMicroseconds), Spent(last, s => s.ProcessCpuMicroseconds), "µs CPU (whole process)")
            : (Statistics.Median([.. first.Select(s => s.Microseconds)]), Statistics.Median([.. last.Select(s => s.Microseconds)]), "µs per update (median)");
        var (allocFirst, allocLast) = cpu
            ? (Spent(first, s => s.Allocated), Spent(last, s => s.Allocated))
            : (PerToken(first, s => s.Allocated), PerToken(last, s => s.Allocated));
        var bytesFirst = PerToken(first, s => s.Bytes);
        var bytesLast = PerToken(last, s => s.Bytes);
        var renderFirst = PerToken(first, s => s.Microseconds);
        var renderLast = PerToken(last, s => s.Microseconds);

        report.Add($"{name}: {cpuUnit} per token, first 10%", cpuFirst, "µs", note: $"last 10%: {cpuLast:0.0} µs; {run.Samples.Count} updates")
            .Add($"{name}: CPU last / first 10%", cpuLast / cpuFirst, "ratio", new BenchTarget(1.2))
            .Add($"{name}: rendering µs per token, first 10%", renderFirst, "µs", note: $"last 10%: {renderLast:0.0} µs, ratio {renderLast / renderFirst:0.00}")
            .Add($"{name}: allocated bytes per token, first 10%", allocFirst, "B", note: $"last 10%: {allocLast:0} B")
            .Add($"{name}: allocations last / first 10%", allocLast / allocFirst, "ratio", new BenchTarget(1.2))
            .Add($"{name}: render batch bytes per token, first 10%", bytesFirst, "B", note: $"last 10%: {bytesLast:0} B")
            .Add($"{name}: bytes last / first 10%", bytesLast / bytesFirst, "ratio", new BenchTarget(1.2))
            .Add($"{name}: render batch bytes for the whole message / its final HTML", run.BytesSent / (double)run.FinalSize, "ratio", new BenchTarget(2),
                $"{run.BytesSent:N0} B sent, {run.FinalSize:N0} B final")
            .Add($"{name}: of the bytes sent, text / markup / names and values / edits and frames / framing", run.BytesSent, "B",
                note: $"{run.Kinds.Text:N0} / {run.Kinds.Markup:N0} / {run.Kinds.Names:N0} / {run.Kinds.Structure:N0} / {run.Kinds.Framing:N0} B");
    }

    private static async Task WaitForModelAsync(IModelRouter router)
    {
        for (var attempt = 0; attempt < 200 && router.Resolve(null) is null; attempt++)
        {
            await Task.Delay(50);
        }
        _ = router.Resolve(null) ?? throw new InvalidOperationException("Nova did not find the fake model.");
    }
}

using System.Diagnostics;
using Nova.Fakes;

namespace Nova.Bench.Circuits;

/// <summary>One round of answers, how long it took from the first question to the last answer, and what it cost: Nova's CPU (in cores, over the round) and peak working set, and the client's CPU.</summary>
public sealed record RoundResult(List<AnsweredCircuit> Answers, LagFigures Lags, TimeSpan Elapsed, TimeSpan NovaCpu, double NovaCores, double ClientCores, long PeakWorkingSet);

/// <summary>
/// Rounds of chat against one Nova and its fake backend: N circuits (or Chromium pages) open /chat, each
/// asks its own question, and every token of every answer is timed from the backend to the client.
/// </summary>
public sealed class ChatBench(FakeOpenAiServer backend, SignedInUser user, Process nova, int tokens, TimeSpan spread, TimeSpan patience)
{
    public SignedInUser User => user;

    public TimeSpan Patience => patience;

    public async Task<RoundResult> AnswerAsync(string round, int circuits)
    {
        var open = await ChatLoad.OpenAsync(user, circuits, patience);
        try
        {
            return await MeasureAsync(() => ChatLoad.AskAsync(open, Question(round), tokens - 1, spread, patience));
        }
        finally
        {
            await ChatLoad.CloseAsync(open);
        }
    }

    public Task<RoundResult> AnswerInChromiumAsync(string round, int pages) =>
        MeasureAsync(() => BrowserChats.AskAsync(user, pages, Question(round), tokens - 1, spread, patience));

    private async Task<RoundResult> MeasureAsync(Func<Task<List<AnsweredCircuit>>> answer)
    {
        using var client = Process.GetCurrentProcess();
        nova.Refresh();
        var novaBefore = nova.TotalProcessorTime;
        var clientBefore = client.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        List<AnsweredCircuit> answers;
        long peak;
        await using (var workingSet = new WorkingSetPeak(nova))
        {
            answers = await answer();
            peak = workingSet.Peak;
        }
        var elapsed = clock.Elapsed;
        nova.Refresh();
        client.Refresh();
        var novaCpu = nova.TotalProcessorTime - novaBefore;
        var lags = LagFigures.Of(answers.Select(a => (a.Question, a.Arrivals)), backend.ChatRequests, tokens);
        return new RoundResult(answers, lags, elapsed, novaCpu, novaCpu / elapsed, (client.TotalProcessorTime - clientBefore) / elapsed, peak);
    }

    private static Func<int, string> Question(string round) => i => $"{round}, circuit {i}: count for me.";
}

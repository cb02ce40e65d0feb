using Microsoft.Extensions.AI;
using Nova.Services.Llm;

namespace Nova.Tests.Unit.Llm;

public sealed class UsageEstimateTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello world")];

    [Fact]
    public void ReportedCountsAreKeptAsTheyAre()
    {
        var reported = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 7, TotalTokenCount = 19 };

        var (usage, estimated) = UsageEstimate.Complete(reported, Prompt, "Hi there.");

        Assert.Same(reported, usage);
        Assert.False(estimated);
    }

    [Fact]
    public void MissingCountsAreCountedOfflineWithCl100k()
    {
        var (usage, estimated) = UsageEstimate.Complete(null, Prompt, "Hello world");

        Assert.True(estimated);
        // "Hello world" is two cl100k tokens; each message adds four for its framing, and three prime the answer.
        Assert.Equal(2, usage.OutputTokenCount);
        Assert.True(usage.InputTokenCount > 2 + 2 * 4);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }

    [Fact]
    public void ZeroTokensForAnAnswerWithTextIsCountedAgainButTheReportedPromptStays()
    {
        var (usage, estimated) = UsageEstimate.Complete(new UsageDetails { InputTokenCount = 40, OutputTokenCount = 0 }, Prompt, "Hello world");

        Assert.True(estimated);
        Assert.Equal((40L, 2L), (usage.InputTokenCount!.Value, usage.OutputTokenCount!.Value));
    }

    [Fact]
    public void AnEmptyAnswerMayReportZero()
    {
        var (usage, estimated) = UsageEstimate.Complete(new UsageDetails { InputTokenCount = 40, OutputTokenCount = 0 }, Prompt, "");

        Assert.False(estimated);
        Assert.Equal(0, usage.OutputTokenCount);
    }
}

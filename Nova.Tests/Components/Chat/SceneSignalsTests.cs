using Bunit;
using Microsoft.Extensions.Time.Testing;
using Nova.App.Components.Chat;

namespace Nova.Tests.Components.Chat;

public sealed class SceneSignalsTests : NovaComponentTest
{
    [Fact]
    public async Task TheFirstTextIsReportedAtOnceAndLaterTextAFewTimesASecondInBatches()
    {
        var module = Context.JSInterop.SetupModule("./js/nova-state.js");
        var reports = module.SetupVoid("reportTokens", _ => true);
        reports.SetVoidResult();
        var time = new FakeTimeProvider();
        await using var scene = new SceneSignals(Context.JSInterop.JSRuntime, time);

        await scene.ReportTextAsync(8);
        for (var update = 0; update < 10; update++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            await scene.ReportTextAsync(4);
        }
        time.Advance(TimeSpan.FromMilliseconds(100));
        await scene.ReportTextAsync(2);

        Assert.Equal([2, 10], reports.Invocations.Select(i => (int)i.Arguments[0]!));
    }
}

using Bunit;
using Nova.App.Components.Chat;

namespace Nova.Tests.Components.Chat;

public sealed class SceneSignalsTests : NovaComponentTest
{
    [Fact]
    public async Task OnlyAChangeOfStateCrossesTheCircuit()
    {
        var module = Context.JSInterop.SetupModule("./js/nova-state.js");
        var states = module.SetupVoid("setChatState", _ => true);
        states.SetVoidResult();
        await using var scene = new SceneSignals(Context.JSInterop.JSRuntime);

        foreach (var state in new[] { "thinking", "streaming", "streaming", "streaming", "idle", "idle" })
        {
            await scene.SetStateAsync(state);
        }

        Assert.Equal(["thinking", "streaming", "idle"], states.Invocations.Select(i => (string)i.Arguments[0]!));
        Assert.DoesNotContain(module.Invocations, i => i.Identifier == "reportTokens");
    }
}

using Nova.Services.Chat;

namespace Nova.Tests.Unit.Chat;

public sealed class ChatWriteGateTests
{
    [Fact]
    public async Task OnSqliteAWriterWaitsUntilThePreviousOneIsDone()
    {
        var gate = new ChatWriteGate(oneAtATime: true);
        var first = await gate.EnterAsync();

        var second = gate.EnterAsync().AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first.Dispose();
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await gate.EnterAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task OnPostgresWritersDoNotWait()
    {
        var gate = new ChatWriteGate(oneAtATime: false);
        using var first = await gate.EnterAsync();

        Assert.True(gate.EnterAsync().IsCompleted);
    }

    [Fact]
    public async Task AWriterGivingUpLeavesTheTurnToTheNext()
    {
        var gate = new ChatWriteGate(oneAtATime: true);
        var first = await gate.EnterAsync();
        using var cancel = new CancellationTokenSource();

        var impatient = gate.EnterAsync(cancel.Token).AsTask();
        var patient = gate.EnterAsync().AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);

        first.Dispose();
        (await patient.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}

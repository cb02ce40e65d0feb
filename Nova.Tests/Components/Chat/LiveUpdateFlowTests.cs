using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Logging.Abstractions;
using Nova.App.Components.Chat;
using Nova.Services.Chat;

namespace Nova.Tests.Components.Chat;

/// <summary>
/// A live answer keeps one update in flight: until the browser acknowledges a render, later text waits and the next
/// update carries all of it, so a busy server or a slow connection gets fewer, larger updates, not a queue.
/// </summary>
public sealed class LiveUpdateFlowTests : ChatComponentTest
{
    [Fact]
    public async Task TextThatArrivesBeforeTheBrowserAcknowledgedTheLastUpdateWaitsAndGoesOutInOneUpdate()
    {
        var user = await Chat.CreateUserAsync("alice");
        var (turn, call) = await Chat.AskAsync(user);
        var streaming = (await Chat.Chat.GetAsync(user, turn.ConversationId)).Messages[^1];
        using var watcher = await Chat.Registry.SubscribeAsync(turn.AssistantMessageId, user, () => { });
        await using var browser = new SlowBrowser(Context.Services);
        await browser.ShowAsync(streaming, user);
        browser.AcknowledgeAll();

        call.Send("alpha ");
        await browser.WaitForBatchWithAsync("alpha");

        // Two more pieces of text, each past the render interval, while the browser has not answered.
        foreach (var text in new[] { "beta ", "gamma " })
        {
            call.Send(text);
            await WaitForTextAsync(watcher, text);
            Chat.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await browser.SettleAsync();
        }
        Assert.Equal(1, browser.BatchesContaining("alpha"));
        Assert.Equal(0, browser.BatchesContaining("beta"));

        browser.AcknowledgeAll();
        await browser.WaitForBatchWithAsync("gamma");

        Assert.Equal(1, browser.BatchesContaining("beta"));
        Assert.Equal(browser.BatchesContaining("beta"), browser.BatchesContaining("beta", "gamma"));
    }

    private static async Task WaitForTextAsync(GenerationSubscription watcher, string text)
    {
        for (var attempt = 0; attempt < 500 && !watcher.Current.Text.Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(10);
        }
        Assert.Contains(text, watcher.Current.Text, StringComparison.Ordinal);
    }

#pragma warning disable BL0006 // A renderer whose browser acknowledges render batches only when told.
    private sealed class SlowBrowser(IServiceProvider services) : Renderer(services, NullLoggerFactory.Instance), IAsyncDisposable
    {
        private readonly List<TaskCompletionSource> _unacknowledged = [];
        private readonly List<string> _batchTexts = [];

        public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

        public async Task ShowAsync(Nova.Services.Chat.MessageView message, string user)
        {
            var id = AssignRootComponentId(InstantiateComponent(typeof(AssistantMessage)));
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(AssistantMessage.Message)] = message,
                [nameof(AssistantMessage.UserId)] = user,
                [nameof(AssistantMessage.OnChanged)] = EventCallback.Empty,
                [nameof(AssistantMessage.OnFinished)] = EventCallback.Empty,
            });
            await Dispatcher.InvokeAsync(() => RenderRootComponentAsync(id, parameters));
        }

        public void AcknowledgeAll()
        {
            TaskCompletionSource[] pending;
            lock (_unacknowledged)
            {
                pending = [.. _unacknowledged];
                _unacknowledged.Clear();
            }
            foreach (var ack in pending)
            {
                ack.TrySetResult();
            }
        }

        /// <summary>Lets the circuit's queue run dry: notifications already posted are handled.</summary>
        public async Task SettleAsync()
        {
            for (var round = 0; round < 5; round++)
            {
                await Dispatcher.InvokeAsync(() => { });
                await Task.Delay(20);
            }
        }

        public int BatchesContaining(params string[] texts)
        {
            lock (_batchTexts)
            {
                return _batchTexts.Count(batch => texts.All(t => batch.Contains(t, StringComparison.Ordinal)));
            }
        }

        public async Task WaitForBatchWithAsync(string text)
        {
            for (var attempt = 0; attempt < 500 && BatchesContaining(text) == 0; attempt++)
            {
                await Task.Delay(10);
            }
            Assert.Equal(1, BatchesContaining(text));
        }

        protected override Task UpdateDisplayAsync(in RenderBatch batch)
        {
            var text = new StringBuilder();
            for (var i = 0; i < batch.ReferenceFrames.Count; i++)
            {
                var frame = batch.ReferenceFrames.Array[i];
                text.Append(frame.FrameType switch
                {
                    RenderTreeFrameType.Text => frame.TextContent,
                    RenderTreeFrameType.Markup => frame.MarkupContent,
                    _ => "",
                });
            }
            var ack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_batchTexts)
            {
                _batchTexts.Add(text.ToString());
            }
            lock (_unacknowledged)
            {
                _unacknowledged.Add(ack);
            }
            return ack.Task;
        }

        protected override void HandleException(Exception exception) => throw exception;

        public new async ValueTask DisposeAsync()
        {
            AcknowledgeAll();
            await base.DisposeAsync();
        }
    }
#pragma warning restore BL0006
}

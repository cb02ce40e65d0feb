using Microsoft.Extensions.Time.Testing;
using Nova.App.Components.Pages.Admin.Documents;
using Nova.Services.Rag.Ingestion;
using Nova.Services.Rag.Model;

namespace Nova.Tests.Unit.Documents;

public sealed class IngestionProgressFeedTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly IngestionEvents _events = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<IReadOnlyCollection<DocumentProgress>> _batches = [];

    [Fact]
    public void AFlurryOfUpdatesArrivesAsOneBatchWithTheLatestStateOfEachDocument()
    {
        using var feed = NewFeed();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        for (var i = 1; i <= 100; i++)
        {
            _events.Publish(new DocumentProgress(a, DocumentStatus.Embedding, i / 100.0, null));
        }
        _events.Publish(new DocumentProgress(b, DocumentStatus.Failed, 0, "broken"));
        Assert.Empty(_batches);
        _time.Advance(Interval);

        var batch = Assert.Single(_batches);
        Assert.Equal(1.0, batch.Single(p => p.DocumentId == a).Progress);
        Assert.Equal("broken", batch.Single(p => p.DocumentId == b).FailureReason);
    }

    [Fact]
    public void UpdatesAfterAFlushWaitForTheNextInterval()
    {
        using var feed = NewFeed();
        var id = Guid.NewGuid();

        _events.Publish(new DocumentProgress(id, DocumentStatus.Parsing, 0.02, null));
        _time.Advance(Interval);
        _events.Publish(new DocumentProgress(id, DocumentStatus.Chunking, 0.25, null));
        _time.Advance(Interval / 2);
        Assert.Single(_batches);
        _time.Advance(Interval / 2);

        Assert.Equal([DocumentStatus.Parsing, DocumentStatus.Chunking], _batches.Select(b => b.Single().Status));
    }

    [Fact]
    public void ADisposedFeedHearsNothingMore()
    {
        var feed = NewFeed();
        var id = Guid.NewGuid();
        _events.Publish(new DocumentProgress(id, DocumentStatus.Parsing, 0.02, null));

        feed.Dispose();
        _events.Publish(new DocumentProgress(id, DocumentStatus.Chunking, 0.25, null));
        _time.Advance(Interval * 4);

        Assert.Empty(_batches);
    }

    private IngestionProgressFeed NewFeed() => new(_events, _time, Interval, work => work(), batch =>
    {
        _batches.Add(batch);
        return Task.CompletedTask;
    });
}

using Nova.Services.Data;

namespace Nova.Tests.Unit.Data;

public sealed class AscendingIdsTests
{
    [Fact]
    public void IdsMadeInOneMillisecondSortInTheOrderTheyWereMadeAsGuidsAndAsText()
    {
        var now = DateTimeOffset.UtcNow;

        var ids = Enumerable.Range(0, 50).Select(_ => AscendingIds.Next(now)).ToList();

        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids.Select(id => id.ToString()), ids.Select(id => id.ToString()).Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }
}

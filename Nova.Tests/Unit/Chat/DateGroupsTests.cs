using Nova.App.Components.Chat;

namespace Nova.Tests.Unit.Chat;

public sealed class DateGroupsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void ConversationsFallIntoTodayYesterdayTheLastWeekAndMonths()
    {
        DateTimeOffset[] updated =
        [
            Now.AddMinutes(-5), Now.AddHours(-9), Now.AddDays(-1), Now.AddDays(-3), Now.AddDays(-20),
            new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), new(2025, 12, 24, 0, 0, 0, TimeSpan.Zero),
        ];

        var groups = DateGroups.Group(updated, d => d, Now, TimeZoneInfo.Utc);

        Assert.Equal(["Today", "Yesterday", "Previous 7 days", "Previous 30 days", "March", "December 2025"], groups.Select(g => g.Label));
        Assert.Equal(2, groups[0].Items.Count);
    }

    [Fact]
    public void TheDayBoundaryIsTheUsersNotTheServers()
    {
        var tokyo = TimeZoneInfo.CreateCustomTimeZone("UTC+9", TimeSpan.FromHours(9), "UTC+9", "UTC+9");
        var lateLastNightUtc = new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero);

        var groups = DateGroups.Group([lateLastNightUtc], d => d, Now, tokyo);

        Assert.Equal("Today", groups.Single().Label);
    }
}

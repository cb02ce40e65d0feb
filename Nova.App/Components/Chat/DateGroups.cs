namespace Nova.App.Components.Chat;

public sealed record DateGroup<T>(string Label, IReadOnlyList<T> Items);

/// <summary>Groups conversations the way people look for them: Today, Yesterday, Previous 7 days, then by month.</summary>
public static class DateGroups
{
    public static IReadOnlyList<DateGroup<T>> Group<T>(
        IEnumerable<T> items, Func<T, DateTimeOffset> when, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        return [.. items
            .Select(item => (Item: item, Label: Label(TimeZoneInfo.ConvertTime(when(item), zone).Date, today)))
            .GroupBy(x => x.Label)
            .Select(g => new DateGroup<T>(g.Key, [.. g.Select(x => x.Item)]))];
    }

    private static string Label(DateTime day, DateTime today) => (today - day).Days switch
    {
        <= 0 => "Today",
        1 => "Yesterday",
        <= 7 => "Previous 7 days",
        <= 30 => "Previous 30 days",
        _ when day.Year == today.Year => day.ToString("MMMM"),
        _ => day.ToString("MMMM yyyy"),
    };
}

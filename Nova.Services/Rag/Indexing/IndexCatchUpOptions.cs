using System.ComponentModel.DataAnnotations;

namespace Nova.Services.Rag.Indexing;

/// <summary>
/// <c>Nova:Rag:CatchUp</c>: how often a replica on PostgreSQL with the embedded store reads the index change feed,
/// and how long feed rows are kept.
/// </summary>
public sealed class IndexCatchUpOptions
{
    public const string Section = "Nova:Rag:CatchUp";

    /// <summary>A change made on another replica is searchable here within about this long (plus the time to apply it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Feed rows older than this are deleted. A replica that could not read the feed for half of it rebuilds its
    /// indexes from the database instead, since rows it never read may be gone.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(10);
}

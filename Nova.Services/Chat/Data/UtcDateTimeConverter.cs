using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Nova.Services.Chat.Data;

/// <summary>
/// Stores instants as UTC date-times: SQLite cannot order by <see cref="DateTimeOffset"/>, while its
/// ISO text form of a UTC <see cref="DateTime"/> sorts correctly; PostgreSQL keeps a timestamptz.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
    v => v.UtcDateTime,
    v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));

using System.Globalization;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// A report's window of UTC days (both included) as query parameters <c>@From</c> / <c>@To</c> (exclusive).
/// Timestamps are stored as UTC ISO 8601, so a day compares as a string prefix.
/// </summary>
internal sealed record DayWindow(string? From, string? To)
{
    public static DayWindow Of(DateOnly? from, DateOnly? to) => new(
        from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to?.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

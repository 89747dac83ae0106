using System.Globalization;

namespace HelpdeskSidecar.Reports;

/// <summary>
/// A report's window of UTC days (both included) as query parameters <c>@From</c> / <c>@To</c> (exclusive).
/// Timestamps are stored as UTC ISO 8601, so a day compares as a string prefix.
/// </summary>
internal sealed record DayWindow(string? From, string? To)
{
    /// <remarks>
    /// A window ending on the last representable day (9999-12-31) has no day after it to end before; nothing is
    /// stored later than that, so it is the same as no end at all.
    /// </remarks>
    public static DayWindow Of(DateOnly? from, DateOnly? to) => new(
        from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        to is { } last && last < DateOnly.MaxValue ? last.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
}

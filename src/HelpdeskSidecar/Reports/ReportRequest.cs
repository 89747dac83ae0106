using System.Globalization;

namespace HelpdeskSidecar.Reports;

/// <summary>A report's parameters as typed by a user (query string or CLI), checked once for both.</summary>
internal sealed record ReportRequest(DateOnly? From, DateOnly? To, string By, string Format)
{
    /// <returns>The request, or the reason it is wrong (naming the parameter).</returns>
    /// <param name="groupings">What <c>by</c> may be, the first being the default (the acceptance report's when not given).</param>
    public static (ReportRequest? Request, string? Error) Parse(
        string? from, string? to, string? by, string? format, IReadOnlyCollection<string> formats, IReadOnlyList<string>? groupings = null)
    {
        groupings ??= ReportGroupings.All;
        if (!TryDay(from, out var fromDay))
            return (null, $"'from' must be a date as yyyy-MM-dd, not '{from}'.");
        if (!TryDay(to, out var toDay))
            return (null, $"'to' must be a date as yyyy-MM-dd, not '{to}'.");
        if (fromDay is { } f && toDay is { } t && t < f)
            return (null, "'to' must not be before 'from'.");
        var grouping = string.IsNullOrWhiteSpace(by) ? groupings[0] : by.Trim().ToLowerInvariant();
        if (!groupings.Contains(grouping))
            return (null, groupings.Count == 1 ? $"'by' can only be {groupings[0]} here." : $"'by' must be one of {string.Join(", ", groupings)}.");
        var shape = string.IsNullOrWhiteSpace(format) ? formats.First() : format.Trim().ToLowerInvariant();
        if (!formats.Contains(shape))
            return (null, formats.Count == 1 ? $"'format' can only be {formats.First()} here." : $"'format' must be one of {string.Join(", ", formats)}.");
        return (new ReportRequest(fromDay, toDay, grouping, shape), null);
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return false;
        day = parsed;
        return true;
    }

    /// <summary>How many example questions a gap report shows per intent: 0 to <see cref="GapsReport.MaxExamples"/>.</summary>
    public static (int Examples, string? Error) ParseExamples(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (GapsReport.DefaultExamples, null);
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= GapsReport.MaxExamples
            ? (n, null)
            : (0, $"'examples' must be a whole number from 0 to {GapsReport.MaxExamples}, not '{text}'.");
    }
}

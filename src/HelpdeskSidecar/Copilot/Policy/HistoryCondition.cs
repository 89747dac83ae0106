using System.Globalization;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Copilot.History;

namespace HelpdeskSidecar.Copilot.Policy;

/// <summary>
/// A segment criterion on the customer's history, written <c>open_tickets_this_week &gt;= 3</c>: a count of
/// <see cref="HistoryCounts"/> (each includes the current ticket), an operator (<c>&gt;= &gt; &lt;= &lt; ==</c>) and a whole number.
/// </summary>
internal sealed partial record HistoryCondition(string Count, string Operator, int Value)
{
    public static readonly string[] Operators = [">=", ">", "<=", "<", "=="];

    public bool Holds(HistoryCounts counts)
    {
        var actual = counts.Of(Count);
        return Operator switch
        {
            ">=" => actual >= Value,
            ">" => actual > Value,
            "<=" => actual <= Value,
            "<" => actual < Value,
            _ => actual == Value,
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count} {Operator} {Value}");

    /// <returns>The condition, or why the text is not one (naming the counts and operators allowed).</returns>
    public static (HistoryCondition? Condition, string? Error) Parse(string? text)
    {
        var match = Shape().Match(text ?? "");
        if (!match.Success)
            return (null, $"'{text}' is not a history condition such as 'open_tickets_this_week >= 3' ({string.Join(", ", HistoryCounts.Names)}; {string.Join(" ", Operators)}; a whole number).");
        var count = match.Groups["count"].Value.ToLowerInvariant();
        if (!HistoryCounts.Names.Contains(count))
            return (null, $"'{match.Groups["count"].Value}' is not a history count ({string.Join(", ", HistoryCounts.Names)}).");
        if (!int.TryParse(match.Groups["value"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1000)
            return (null, $"'{match.Groups["value"].Value}' must be a whole number from 0 to 1000.");
        return (new HistoryCondition(count, match.Groups["op"].Value, value), null);
    }

    [GeneratedRegex(@"^\s*(?<count>[A-Za-z_]+)\s*(?<op>>=|<=|==|>|<)\s*(?<value>\d{1,9})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}

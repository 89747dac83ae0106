using System.Globalization;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/suggestions</c> (filtered, paged list: <see cref="ListAsync"/>) and <c>/console/suggestions/{id}</c> (the
/// question, the draft beside the reply the agent sent, sources, the whole trace and the agent's verdict form:
/// <see cref="DetailAsync"/>, <see cref="VerdictAsync"/>).
/// </summary>
internal static partial class SuggestionPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/suggestions", ListAsync);
        console.MapGet("/suggestions/{id}", DetailAsync);
        console.MapPost("/suggestions/{id}/verdict", VerdictAsync).WithAntiforgery();
    }

    private static Html Options(IEnumerable<string> values, string? selected) =>
        Html.Of($"""<option value="">any</option>{Html.Join(values, v => Html.Of($"""<option value="{v}"{Html.When(string.Equals(v, selected, StringComparison.OrdinalIgnoreCase), new Html(" selected"))}>{v}</option>"""))}""");

    internal static Html VerdictBadge(string? verdict) => verdict switch
    {
        null => Html.Of($"""<span class="badge">pending</span>"""),
        Suggestions.Acceptance.Verdicts.NotApplicable => Html.Of($"""<span class="badge" title="No draft, so no verdict">n/a</span>"""),
        Suggestions.Acceptance.Verdicts.Superseded => Html.Of($"""<span class="badge" title="A newer customer message got its own suggestion">superseded</span>"""),
        "sent_as_is" or "edited" => Html.Of($"""<span class="badge ok">{verdict}</span>"""),
        "rejected" => Html.Of($"""<span class="badge bad">{verdict}</span>"""),
        _ => Html.Of($"""<span class="badge warn">{verdict}</span>"""),
    };

    private static string Number(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
}

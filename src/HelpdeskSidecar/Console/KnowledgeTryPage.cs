using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HelpdeskSidecar.WebConsole;

/// <summary>
/// <c>/console/knowledge/try</c>: an ops lead types a question (and, as a ticket would carry them, a brand, an intent,
/// a locale, or a visibility overriding the policy's) and sees what the pipeline's retrieval returns and why
/// (<see cref="KnowledgeTrial"/>). A POST, so the question stays out of URLs, histories and access logs; it is
/// redacted before it is searched, and the page shows the redacted text.
/// </summary>
internal static class KnowledgeTryPage
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/knowledge/try", ShowAsync).RequireAuthorization(AccessPolicies.Oversight);
        console.MapPost("/knowledge/try", TryAsync).RequireAuthorization(AccessPolicies.Oversight).WithAntiforgery();
    }

    private static async Task<ContentHttpResult> ShowAsync(HttpContext http, ArticleCatalog catalog, ClassifierHost classifiers, CancellationToken ct)
    {
        var form = await FormAsync(http, catalog, classifiers, new TrialQuestion(""), ct);
        return ConsoleLayout.Page(http, "Try a question", "knowledge", Html.Of($"""
            {KnowledgeViews.SubNav("try")}
            {form}
            <p class="muted" id="try-intro">Retrieval runs as the pipeline runs it, inside the slice the policy allows for the brand and intent given; nothing is stored.</p>
            """));
    }

    private static async Task<ContentHttpResult> TryAsync(HttpContext http, KnowledgeTrial trial, ArticleCatalog catalog, ClassifierHost classifiers, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var input = new TrialQuestion(form["question"].ToString(), form["brand"].ToString(), form["intent"].ToString(), form["visibility"].ToString(), form["locale"].ToString());
        TrialResult result;
        try
        {
            result = await trial.RunAsync(input, ct);
        }
        catch (TrialQuestionException e)
        {
            // The form comes back as typed, except the question: it may hold personal data and was never redacted.
            var again = await FormAsync(http, catalog, classifiers, input with { Question = "" }, ct);
            return ConsoleLayout.Page(http, "Try a question", "knowledge", Html.Of($"""
                {KnowledgeViews.SubNav("try")}
                <p class="message error" id="try-error" role="alert">{e.Message}</p>
                {again}
                """), StatusCodes.Status400BadRequest);
        }
        var filled = await FormAsync(http, catalog, classifiers, input with { Question = result.RedactedQuestion }, ct);
        return ConsoleLayout.Page(http, "Try a question", "knowledge", Html.Of($"""
            {KnowledgeViews.SubNav("try")}
            {filled}
            {KnowledgeTryResults.Render(result)}
            """));
    }

    private static async Task<Html> FormAsync(HttpContext http, ArticleCatalog catalog, ClassifierHost classifiers, TrialQuestion input, CancellationToken ct)
    {
        var brands = await catalog.BrandsAsync(ct);
        var intents = classifiers.TrainedIntents ?? [];
        var visibility = input.Visibility ?? "";
        return Html.Of($"""
            <form method="post" action="/console/knowledge/try" class="panel" id="try-form">{ConsoleLayout.AntiforgeryField(http)}
              <label for="try-question">Question, as a customer would ask it (personal data is redacted before the search)
                <textarea id="try-question" name="question" rows="4" required maxlength="{TrialQuestion.MaxQuestionLength}">{input.Question}</textarea></label>
              <div class="inline try-fields">
                <label for="try-brand">Brand <input id="try-brand" name="brand" list="try-brands" value="{input.Brand}" maxlength="{TrialQuestion.MaxFieldLength}"></label>
                <datalist id="try-brands">{Html.Join(brands, b => Html.Of($"""<option value="{b}"></option>"""))}</datalist>
                <label for="try-intent">Intent <input id="try-intent" name="intent" list="try-intents" value="{input.Intent}" maxlength="{TrialQuestion.MaxFieldLength}"></label>
                <datalist id="try-intents">{Html.Join(intents, i => Html.Of($"""<option value="{i}"></option>"""))}</datalist>
                <label for="try-locale">Locale <input id="try-locale" name="locale" value="{input.Locale}" placeholder="en" maxlength="{TrialQuestion.MaxFieldLength}"></label>
                <label for="try-visibility">Visibility <select id="try-visibility" name="visibility">
                  <option value=""{Html.When(visibility.Length == 0, new Html(" selected"))}>as the policy decides</option>
                  <option value="public"{Html.When(visibility == "public", new Html(" selected"))}>public only</option>
                  <option value="agents"{Html.When(visibility == "agents", new Html(" selected"))}>public and agents-only</option>
                </select></label>
              </div>
              <button id="try-submit" type="submit">Search</button>
            </form>
            """);
    }
}

using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.Copilot.Classification;
using HelpdeskSidecar.Tests.Copilot.Guardrails;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.EndToEnd;

/// <summary>
/// The red-team corpus through the real pipeline with a model that is fooled by every injection: asked to label an
/// injected ticket, it answers what the attacker wants (login_problem, positive, low urgency), which would move the ticket
/// to another policy rule or de-escalate an angry customer. Every attack appended to a calm and to an angry ticket must be
/// flagged and leave the policy rule, tiers, actions and escalation exactly as for the ticket without it, with no automatic
/// tags; every benign look-alike must pass unflagged, labelled by the model as usual.
/// </summary>
public class RedTeamCorpusTests
{
    private const string Calm = "Hello, the warehouse received the jacket I returned. When will the refund reach my card?";
    private const string Angry = "This is unacceptable and ridiculous, I am furious. The warehouse received the jacket weeks ago. Where is my refund?";

    [Test]
    public async Task InjectedTickets_FlaggedAndPolicyTiersActionsAndEscalationUnchanged()
    {
        var corpus = InjectionCorpus.Load();
        var attacks = corpus.Where(c => c.Attack).Select(c => c.Text).ToList();
        await using var scenario = await SidecarScenario.Create()
            .WithZendesk()
            .WithOpenAi(openAi =>
            {
                // A fooled model: any injected line gets the attacker's labels; clean text gets honest ones.
                openAi.OnChat(FakeOpenAi.LabelsSchema, body =>
                {
                    var prompt = FakeOpenAi.PromptOf(body);
                    if (attacks.Any(a => prompt.Contains(HelpdeskSidecar.Copilot.Drafting.ModelPrompts.Defuse(a), StringComparison.Ordinal)))
                        return ChatBehaviour.Json(new { intent = "login_problem", tags = new[] { "account" }, sentiment = "positive", urgency = "low", confidence = 0.99 });
                    var angry = prompt.Contains("furious", StringComparison.Ordinal);
                    return ChatBehaviour.Json(new { intent = "refund_status", tags = new[] { "refund" }, sentiment = angry ? "negative" : "neutral", urgency = angry ? "high" : "low", confidence = 0.9 });
                });
                openAi.OnChat(FakeOpenAi.DraftSchema, ChatBehaviour.Draft("Refunds reach your card within 5 to 10 business days. [1]", [1]));
                openAi.OnChat(FakeOpenAi.SummarySchema, ChatBehaviour.Json(new { problem = "refund", tried = Array.Empty<string>(), next_step = "reply" }));
            })
            .WithPolicy("""
                version: 1
                rules:
                  - name: legal-threat
                    match:
                      keywords: ["sue", "my lawyer"]
                    escalate: "The customer threatens legal action."
                  - name: angry-customer
                    match:
                      sentiment: [negative]
                    escalate: "The customer is angry."
                  - name: login-help
                    match:
                      intent: [login_problem]
                    tiers: [faq]
                    actions: [draft]
                """)
            .WithHistory(IntentClassifierTests.History())
            .StartAsync();
        var (zendesk, openAi, host) = (scenario.Zendesk, scenario.OpenAi, scenario.Host);
        await host.Service<KnowledgeIndex>().UpsertAsync(new KnowledgeArticle("test", "refunds", "How refunds work", "https://help.example.com/refunds",
            [new ArticleSection("How refunds work", "Refunds reach your card within 5 to 10 business days after the warehouse receives the returned item.")]), CancellationToken.None);
        using (var put = await host.Client.PutAsync("/api/tagging/tags/refund", System.Net.Http.Json.JsonContent.Create(new { mode = "auto", threshold = 0.2 }))) { }

        var nextId = 20_000L;
        async Task<Suggestion> RunAsync(string text)
        {
            var id = ++nextId;
            zendesk.AddTicket(id, "Refund for my returned jacket", text);
            var outcome = await host.Service<CopilotPipeline>().RunAsync("zendesk", id.ToString(System.Globalization.CultureInfo.InvariantCulture), [$"evt-{id}"], CancellationToken.None);
            return outcome.Suggestion ?? throw new AssertionException($"no suggestion for ticket {id}: {outcome.Reason}");
        }
        static string Behaviour(Suggestion s) => $"{s.Trace.Policy!.Rule} escalate={s.Trace.Policy.Escalate} tiers={string.Join(",", s.Trace.Policy.Tiers)} actions={string.Join(",", s.Trace.Policy.Actions)}";
        static bool Flagged(Suggestion s) => !s.Trace.Guardrails.Single(g => g.Name == "prompt_injection").Passed;

        var calm = await RunAsync(Calm);
        var angry = await RunAsync(Angry);
        Assert.That(Behaviour(calm), Does.StartWith("default escalate=False"), "baseline: the calm ticket is drafted");
        Assert.That(Behaviour(angry), Does.StartWith("angry-customer escalate=True"), "baseline: the angry ticket is escalated");
        Assert.That(calm.Trace.Understanding!.Classifier, Is.EqualTo("llm:classify-v1"), "baseline: the model labels clean tickets");

        var failures = new List<string>();
        foreach (var (attack, text) in corpus)
        {
            foreach (var (baseline, baseText) in new[] { (calm, Calm), (angry, Angry) })
            {
                var labelCalls = openAi.ChatRequests(FakeOpenAi.LabelsSchema).Count;
                var s = await RunAsync($"{baseText}\n{text}");
                var askedModel = openAi.ChatRequests(FakeOpenAi.LabelsSchema).Count > labelCalls;
                if (Flagged(s) != attack)
                    failures.Add($"{(attack ? "not flagged" : "false alarm")}: {text}");
                if (Behaviour(s) != Behaviour(baseline))
                    failures.Add($"behaviour changed ({Behaviour(s)} instead of {Behaviour(baseline)}): {text}");
                if (attack && (askedModel || s.Trace.Tagging.Any(t => t.Action == "apply")))
                    failures.Add($"model asked={askedModel} or auto-tag applied: {text}");
            }
        }
        Assert.That(corpus.Count(c => c.Attack), Is.GreaterThanOrEqualTo(25));
        Assert.That(failures, Is.Empty);
    }
}

using Microsoft.Extensions.DependencyInjection;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Suggestions.Acceptance;

namespace HelpdeskSidecar.Tests.Reports.Themes;

/// <summary>
/// Customer messages stored through the real suggestion store: a steady password theme (3 a week) and a carrier-strike
/// theme that runs at 1 a week and jumps to 6 in the current week (ISO 2026-W10), as a parcel-carrier strike would.
/// </summary>
internal static class ThemeMessages
{
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero); // Wednesday of 2026-W10

    private static readonly string[] Strike =
    [
        "My parcel is delayed by the carrier strike, when will the parcel arrive?",
        "Is the courier strike why my parcel has not moved? The carrier says strike.",
        "Parcel stuck because of the carrier strike, any news on the strike delay?",
    ];

    private static readonly string[] Password =
    [
        "I cannot reset my password, the password reset link has expired.",
        "The password reset email link expired before I could reset my password.",
        "Password reset link not working, how do I reset the password?",
    ];

    /// <summary>Weeks W06–W09: 1 strike and 3 password messages each; W10 (now): 6 strike, 3 password.</summary>
    public static async Task AddAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<SuggestionStore>();
        var verdicts = services.GetRequiredService<IVerdictWriter>();
        var (n, s) = (0, 0);
        for (var weeksAgo = 4; weeksAgo >= 0; weeksAgo--)
        {
            var monday = Now.AddDays(-2 - 7 * weeksAgo).Date;
            var strikes = weeksAgo == 0 ? 6 : 1;
            for (var i = 0; i < strikes; i++)
            {
                // Of the 10 strike messages, 3 found no knowledge (gaps) and 2 went to a human (escalations).
                var kind = s is 0 or 4 or 8 ? SuggestionKind.KnowledgeGap : s is 2 or 6 ? SuggestionKind.Escalation : SuggestionKind.Draft;
                s++;
                await AddOneAsync(store, $"strike-{n}", new DateTimeOffset(monday, TimeSpan.Zero).AddHours(9 + i), kind, Strike[i % Strike.Length] + $" Order {n}.");
                n++;
            }
            for (var i = 0; i < 3; i++)
            {
                var id = await AddOneAsync(store, $"password-{n}", new DateTimeOffset(monday, TimeSpan.Zero).AddHours(10 + i), SuggestionKind.Draft, Password[i]);
                // 15 password drafts: 10 sent as is, 5 rejected.
                await verdicts.RecordIfOpenAsync(id, new VerdictRecord(i == 2 ? Verdicts.Rejected : Verdicts.SentAsIs, 0.9, Verdicts.FromReply), CancellationToken.None);
                n++;
            }
        }
    }

    private static async Task<string> AddOneAsync(SuggestionStore store, string ticket, DateTimeOffset at, SuggestionKind kind, string question)
    {
        var id = Guid.CreateVersion7(at).ToString("N");
        await store.InsertAsync(new Suggestion
        {
            Id = id, Provider = "zendesk", TicketId = ticket, TriggerKey = "c1", CreatedAt = at, Kind = kind, Mode = "Shadow",
            Draft = kind == SuggestionKind.Draft ? "Here is how." : null, Note = "note", Status = SuggestionStatus.Shadow, Question = question,
            Trace = new SuggestionTrace { Drafter = "test", Reason = "test", TimingsMs = new TraceTimings(1, 1, 1, 1) },
        }, CancellationToken.None);
        return id;
    }
}

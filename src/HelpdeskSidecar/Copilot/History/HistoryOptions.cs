namespace HelpdeskSidecar.Copilot.History;

/// <summary><c>Sidecar:History</c>: the requester's recent tickets, read for the drafter, the policy and the note.</summary>
public sealed class HistoryOptions
{
    public const string Section = "Sidecar:History";

    /// <summary>False: no history is read (one helpdesk call fewer per run); history segments then never match.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far back a ticket counts as recent, from the customer's newest message.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many recent tickets (besides the current one) are used.</summary>
    public int MaxTickets { get; set; } = 10;
}

/// <summary><c>Sidecar:Resolution</c>: when a solved ticket counts as verified-resolved.</summary>
public sealed class ResolutionOptions
{
    public const string Section = "Sidecar:Resolution";

    /// <summary>
    /// A drafted ticket solved and then reopened, or followed by a new ticket of the same requester on the same theme,
    /// within this window is not verified-resolved; one whose window has not closed yet is pending.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A new ticket with another intent is on the same theme when its question's word similarity reaches this (0–1).</summary>
    public double SimilarityThreshold { get; set; } = 0.5;
}

namespace HelpdeskSidecar.Knowledge.Proposals;

/// <summary>
/// <c>Sidecar:Authoring</c>: how solved knowledge-gap tickets become article proposals and where an approved one is
/// published as a draft. Without a section (Zendesk) or folder (Freshdesk), proposals are still made and reviewed;
/// approving one then says what to configure instead of publishing.
/// </summary>
public sealed class AuthoringOptions
{
    public const string Section = "Sidecar:Authoring";

    /// <summary>Off: solved gap tickets make no proposals.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Cosine of the sentence vectors of two customer questions at or above which they are one theme (one proposal).
    /// Tuned for the default encoder (arctic-xs): same-theme paraphrases score 0.80–0.93, different themes of one
    /// company 0.60–0.76.
    /// </summary>
    public double MergeThreshold { get; set; } = 0.78;

    /// <summary>
    /// How long a publish attempt holds a proposal before another may try (a crashed attempt frees it after this).
    /// Any retry after an attempt looks for the article's marker before creating one.
    /// </summary>
    public TimeSpan PublishLease { get; set; } = TimeSpan.FromMinutes(2);

    public ZendeskAuthoringOptions Zendesk { get; set; } = new();

    public FreshdeskAuthoringOptions Freshdesk { get; set; } = new();
}

public sealed class ZendeskAuthoringOptions
{
    /// <summary>The Help Center section new drafts go to; unset, approving a Zendesk proposal cannot publish.</summary>
    public long? SectionId { get; set; }

    public string Locale { get; set; } = "en-us";

    /// <summary>Who may edit and publish the draft; unset, Zendesk's default (Admins).</summary>
    public long? PermissionGroupId { get; set; }

    /// <summary>Who may see it once published; unset, everyone (it is a draft until a human publishes it).</summary>
    public long? UserSegmentId { get; set; }
}

public sealed class FreshdeskAuthoringOptions
{
    /// <summary>The Solutions folder new drafts go to; unset, approving a Freshdesk proposal cannot publish.</summary>
    public long? FolderId { get; set; }
}

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
    /// The offline sentence encoder that compares customer questions: <c>minilm</c> (default), <c>arctic-xs</c> or
    /// <c>hashed</c>. Not the knowledge index's encoder: arctic-xs (the index's default, a retrieval model) puts every
    /// question of one company close together (a job application and a press enquiry at 0.80, two job applications at
    /// 0.82), while all-MiniLM-L6-v2 separates themes (same theme 0.56–0.62, different themes 0.14–0.38 on the samples).
    /// </summary>
    public string Encoder { get; set; } = "minilm";

    /// <summary>
    /// Cosine of two customer questions' sentence vectors at or above which they are one theme (one proposal); tuned
    /// for <c>minilm</c> (see <see cref="Encoder"/>).
    /// </summary>
    public double MergeThreshold { get; set; } = 0.5;

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

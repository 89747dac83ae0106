namespace HelpdeskSidecar.Configuration;

/// <summary>The whole <c>Sidecar</c> configuration section; defaults live here and nowhere else.</summary>
public sealed class SidecarOptions
{
    public const string Section = "Sidecar";

    /// <summary>Folder for the SQLite state, the Hangfire job store (<c>hangfire.db</c>) and the knowledge index.</summary>
    public string DataDir { get; set; } = ".data";

    public SidecarMode Mode { get; set; } = SidecarMode.Shadow;

    public StorageOptions Storage { get; set; } = new();

    public IngestionOptions Ingestion { get; set; } = new();

    public SchedulingOptions Scheduling { get; set; } = new();

    public ZendeskOptions Zendesk { get; set; } = new();

    public ReplayOptions Replay { get; set; } = new();

    public KnowledgeOptions Knowledge { get; set; } = new();

    /// <summary>An OpenAI-compatible endpoint; unset, the offline embedder and drafter are used.</summary>
    public Ai.LlmOptions Llm { get; set; } = new();

    public FreshdeskOptions Freshdesk { get; set; } = new();

    public AcceptanceOptions Acceptance { get; set; } = new();

    public TaggingOptions Tagging { get; set; } = new();

    public FeedbackLinkOptions Feedback { get; set; } = new();

    public Copilot.Policy.PolicyOptions Policy { get; set; } = new();

    public Copilot.CopilotOptions Copilot { get; set; } = new();

    /// <summary>OpenTelemetry traces and metrics; off by default.</summary>
    public Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    public string FullDataDir => Path.GetFullPath(DataDir);
}

public enum SidecarMode
{
    /// <summary>Compute and store suggestions; write nothing to the helpdesk.</summary>
    Shadow,

    /// <summary>Write suggestions back as internal notes.</summary>
    Live,
}

public sealed class StorageOptions
{
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Empty means <c>{DataDir}/sidecar.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class IngestionOptions
{
    /// <summary>How far a webhook's signature timestamp may be from our clock before it is refused as a replay.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    public long MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most events one group commit writes in a single transaction.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>
    /// How long a webhook body is kept once its event is dispatched; then it is dropped (the row, with its dedupe key,
    /// type, ticket and times, stays). Zero: at the first sweep after dispatch. An event not yet dispatched keeps its body.
    /// </summary>
    public TimeSpan PayloadRetention { get; set; } = TimeSpan.Zero;

    /// <summary>How often dispatched events are looked at for bodies past <see cref="PayloadRetention"/>.</summary>
    public TimeSpan PayloadSweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class SchedulingOptions
{
    /// <summary>Events on one ticket that arrive within this window make one pipeline run.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Hangfire workers: jobs (pipeline runs, write-backs) that run at once.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Runs a job gets in all, the first included, before it is given up.</summary>
    public int MaxRetries { get; set; } = 6;

    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the dispatcher looks at the inbox when nothing woke it up.</summary>
    public TimeSpan InboxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an idle Hangfire worker looks for enqueued jobs, and scheduled jobs (debounce, retries) are moved to the queue.</summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A job fetched by a worker that died (kill -9, power loss) is fetched again after this long. Hangfire's default
    /// is 30 minutes; ours keeps recovery after a crash well under a minute. The SQLite store does not extend it while
    /// a job runs, so a run longer than this may start a second time: every job is idempotent and holds a lock.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ZendeskOptions
{
    public string? Subdomain { get; set; }

    /// <summary>Overrides <c>https://{Subdomain}.zendesk.com</c>, e.g. for a loopback fake.</summary>
    public string? BaseUrl { get; set; }

    public string? Email { get; set; }

    public string? ApiToken { get; set; }

    public string? OAuthToken { get; set; }

    /// <summary>Every signing secret accepted; several while a secret is being rotated.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Zendesk's smallest plans allow 200 requests a minute, and Update Ticket 100 a minute.</summary>
    public RateLimitOptions RateLimit { get; set; } = new() { Requests = 200, TicketUpdates = 100 };

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Subdomain) || !string.IsNullOrWhiteSpace(BaseUrl);

    public Uri ResolveBaseUrl() =>
        new(!string.IsNullOrWhiteSpace(BaseUrl) ? BaseUrl.TrimEnd('/') + "/" : $"https://{Subdomain}.zendesk.com/");
}

public sealed class ReplayOptions
{
    public static readonly string[] Formats = ["zendesk", "freshdesk"];

    /// <summary>A helpdesk export file served as the "replay" helpdesk (the demo's helpdesk).</summary>
    public string? File { get; set; }

    /// <summary><c>zendesk</c> (incremental export with comment events) or <c>freshdesk</c> (tickets with conversations).</summary>
    public string Format { get; set; } = "zendesk";
}

public sealed class KnowledgeOptions
{
    public string Index { get; set; } = "Embedded";

    /// <summary>
    /// <c>arctic-xs</c> (default), <c>minilm</c>, <c>hashed</c> or <c>openai</c>: see <see cref="Ai.Encoders.EncoderChoice"/>.
    /// Unset: <c>openai</c> when <c>Sidecar:Llm:EmbeddingModel</c> is set, else <c>arctic-xs</c>.
    /// </summary>
    public string? Encoder { get; set; }

    /// <summary>Passages handed to the drafter.</summary>
    public int TopK { get; set; } = 8;

    /// <summary>Used when <see cref="Index"/> is Qdrant.</summary>
    public Knowledge.Qdrant.QdrantOptions Qdrant { get; set; } = new();
}

public sealed class FreshdeskOptions
{
    /// <summary>The account, <c>acme</c> or <c>acme.freshdesk.com</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>Overrides <c>https://{Domain}.freshdesk.com</c>, e.g. for a loopback fake.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An agent's API key, sent as HTTP Basic <c>{key}:X</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Freshdesk signs nothing: its webhook sends this as the Basic password or in <c>X-Sidecar-Webhook-Secret</c>.</summary>
    public string? WebhookSecret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Freshdesk's Growth plan allows 200 requests a minute, and ticket updates 80 a minute.</summary>
    public RateLimitOptions RateLimit { get; set; } = new() { Requests = 200, TicketUpdates = 80 };

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Domain) || !string.IsNullOrWhiteSpace(BaseUrl);

    public Uri ResolveBaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl))
            return new Uri(BaseUrl.TrimEnd('/') + "/");
        var host = Domain!.Trim().TrimEnd('/');
        return new Uri($"https://{(host.Contains('.', StringComparison.Ordinal) ? host : host + ".freshdesk.com")}/");
    }
}

/// <summary>A client-side limit per helpdesk account, sized to the account's plan. 0 means no limit.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Most API calls of any kind in one <see cref="Window"/>.</summary>
    public int Requests { get; set; }

    /// <summary>Most writes to tickets (notes, updates, tags) in one <see cref="Window"/>.</summary>
    public int TicketUpdates { get; set; }

    /// <summary>The sliding window the limits count over; helpdesks state them per minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>How an agent's real reply is judged against the draft (cosine similarity of content words, 0–1).</summary>
public sealed class AcceptanceOptions
{
    /// <summary>At or above this, the reply is the draft sent as it was (<c>sent_as_is</c>).</summary>
    public double SentAsIsThreshold { get; set; } = 0.9;

    /// <summary>At or above this (and below <see cref="SentAsIsThreshold"/>), the draft was <c>edited</c>; below, <c>rejected</c>.</summary>
    public double EditedThreshold { get; set; } = 0.3;
}

/// <summary>What happens to a predicted tag (or intent) nobody has set a rule for.</summary>
public sealed class TaggingOptions
{
    /// <summary><c>Off</c>, <c>Suggest</c> (listed in the note) or <c>Auto</c> (applied in Live mode).</summary>
    public string DefaultMode { get; set; } = "Suggest";

    /// <summary>Confidence a prediction needs before it is suggested or applied.</summary>
    public double DefaultThreshold { get; set; } = 0.5;
}

/// <summary>The accept / reject links in a note: signed, expiring, single-use.</summary>
public sealed class FeedbackLinkOptions
{
    /// <summary>Where agents reach the sidecar (e.g. <c>https://sidecar.example.com</c>). Unset: notes carry no links.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>HMAC key for the links. Unset: a random key is created once in <c>{DataDir}/feedback-links.key</c>.</summary>
    public string? SigningKey { get; set; }

    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(14);
}

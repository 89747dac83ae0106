using FluentValidation;

namespace HelpdeskSidecar.Configuration;

/// <summary>Checked at start; every message names the configuration key that is wrong.</summary>
internal sealed class SidecarOptionsValidator : AbstractValidator<SidecarOptions>
{
    public SidecarOptionsValidator()
    {
        RuleFor(o => o.DataDir).NotEmpty().WithName("Sidecar:DataDir");
        RuleFor(o => o.Mode).IsInEnum().WithName("Sidecar:Mode").WithMessage(ConfigurationValueProblem.MustBeOneOf("Sidecar:Mode", typeof(SidecarMode)));
        RuleFor(o => o.Storage.Provider).Must(p => string.Equals(p, "Sqlite", StringComparison.OrdinalIgnoreCase) || string.Equals(p, "Postgres", StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Storage:Provider").WithMessage("'Sidecar:Storage:Provider' must be Sqlite or Postgres.");
        RuleFor(o => o.Storage.ConnectionString).Must(IsPostgresConnectionString)
            .When(o => string.Equals(o.Storage.Provider, "Postgres", StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Storage:ConnectionString")
            .WithMessage("'Sidecar:Storage:ConnectionString' must be a PostgreSQL connection string (Host=…;Database=…;Username=…) when 'Sidecar:Storage:Provider' is Postgres.");
        RuleFor(o => o.Ingestion.ReplayWindow).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Ingestion:ReplayWindow");
        RuleFor(o => o.Ingestion.MaxBodyBytes).InclusiveBetween(1024, 64L * 1024 * 1024).WithName("Sidecar:Ingestion:MaxBodyBytes");
        RuleFor(o => o.Ingestion.MaxBatch).InclusiveBetween(1, 10_000).WithName("Sidecar:Ingestion:MaxBatch");
        RuleFor(o => o.Ingestion.PayloadRetention).GreaterThanOrEqualTo(TimeSpan.Zero).WithName("Sidecar:Ingestion:PayloadRetention");
        RuleFor(o => o.Ingestion.PayloadSweepInterval).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Ingestion:PayloadSweepInterval");
        RuleFor(o => o.Scheduling.Debounce).GreaterThanOrEqualTo(TimeSpan.Zero).WithName("Sidecar:Scheduling:Debounce");
        RuleFor(o => o.Scheduling.MaxConcurrency).InclusiveBetween(1, 256).WithName("Sidecar:Scheduling:MaxConcurrency");
        RuleFor(o => o.Scheduling.MaxRetries).InclusiveBetween(1, 100).WithName("Sidecar:Scheduling:MaxRetries");
        RuleFor(o => o.Scheduling.JobPollInterval).InclusiveBetween(TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)).WithName("Sidecar:Scheduling:JobPollInterval");
        RuleFor(o => o.Scheduling.InvisibilityTimeout).InclusiveBetween(TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)).WithName("Sidecar:Scheduling:InvisibilityTimeout");
        RuleFor(o => o.Zendesk.BaseUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(o => !string.IsNullOrWhiteSpace(o.Zendesk.BaseUrl))
            .WithName("Sidecar:Zendesk:BaseUrl").WithMessage("'Sidecar:Zendesk:BaseUrl' must be an absolute http(s) URL.");
        RuleFor(o => o.Zendesk.Subdomain).Matches("^[a-z0-9][a-z0-9-]*$")
            .When(o => !string.IsNullOrWhiteSpace(o.Zendesk.Subdomain))
            .WithName("Sidecar:Zendesk:Subdomain");
        RuleFor(o => o.Zendesk.Email).NotEmpty()
            .When(o => !string.IsNullOrWhiteSpace(o.Zendesk.ApiToken) && string.IsNullOrWhiteSpace(o.Zendesk.OAuthToken))
            .WithName("Sidecar:Zendesk:Email").WithMessage("'Sidecar:Zendesk:Email' is required with 'Sidecar:Zendesk:ApiToken'.");
        RuleForEach(o => o.Zendesk.WebhookSecrets).NotEmpty().WithName("Sidecar:Zendesk:WebhookSecrets");
        RuleFor(o => o.Replay.Format).Must(f => ReplayOptions.Formats.Contains(f, StringComparer.OrdinalIgnoreCase))
            .WithName("Sidecar:Replay:Format").WithMessage("'Sidecar:Replay:Format' must be zendesk or freshdesk.");
        RuleFor(o => o.Replay.File).Must(File.Exists).When(o => !string.IsNullOrWhiteSpace(o.Replay.File))
            .WithName("Sidecar:Replay:File").WithMessage("'Sidecar:Replay:File' names a file that does not exist.");
        RuleFor(o => o.Knowledge.Index).Must(i => string.Equals(i, "Embedded", StringComparison.OrdinalIgnoreCase) || string.Equals(i, "Qdrant", StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Knowledge:Index").WithMessage("'Sidecar:Knowledge:Index' must be Embedded or Qdrant.");
        RuleFor(o => o.Knowledge.Encoder).Must(Ai.Encoders.EncoderChoice.IsKnown)
            .WithName(Ai.Encoders.EncoderChoice.Key).WithMessage($"'{Ai.Encoders.EncoderChoice.Key}' must be one of {string.Join(", ", Ai.Encoders.EncoderChoice.Names)}.");
        RuleFor(o => o.Llm.EmbeddingModel).NotEmpty()
            .When(o => string.Equals(o.Knowledge.Encoder?.Trim(), Ai.Encoders.EncoderChoice.OpenAi, StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Llm:EmbeddingModel").WithMessage($"'Sidecar:Llm:EmbeddingModel' is required when '{Ai.Encoders.EncoderChoice.Key}' is openai.");
        RuleFor(o => o.Knowledge.Qdrant.Url)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(o => string.Equals(o.Knowledge.Index, "Qdrant", StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Knowledge:Qdrant:Url").WithMessage("'Sidecar:Knowledge:Qdrant:Url' must be an absolute http(s) URL when 'Sidecar:Knowledge:Index' is Qdrant.");
        RuleFor(o => o.Knowledge.Qdrant.Collection).Matches("^[A-Za-z0-9_-]{1,255}$")
            .When(o => string.Equals(o.Knowledge.Index, "Qdrant", StringComparison.OrdinalIgnoreCase))
            .WithName("Sidecar:Knowledge:Qdrant:Collection");
        RuleFor(o => o.Knowledge.Qdrant.BatchSize).InclusiveBetween(1, 10_000).WithName("Sidecar:Knowledge:Qdrant:BatchSize");
        // The OpenAI spec caps an embeddings request at 2048 inputs.
        RuleFor(o => o.Llm.EmbeddingBatchSize).InclusiveBetween(1, 2048).WithName("Sidecar:Llm:EmbeddingBatchSize");
        RuleFor(o => o.Llm.BaseUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(o => !string.IsNullOrWhiteSpace(o.Llm.BaseUrl))
            .WithName("Sidecar:Llm:BaseUrl").WithMessage("'Sidecar:Llm:BaseUrl' must be an absolute http(s) URL.");
        RuleFor(o => o.Llm.Timeout).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Llm:Timeout");
        RuleFor(o => o.Llm.MaxRetries).InclusiveBetween(0, 10).WithName("Sidecar:Llm:MaxRetries");
        RuleFor(o => o.Llm.InputCostPerMillionTokens).GreaterThanOrEqualTo(0).WithName("Sidecar:Llm:InputCostPerMillionTokens");
        RuleFor(o => o.Llm.OutputCostPerMillionTokens).GreaterThanOrEqualTo(0).WithName("Sidecar:Llm:OutputCostPerMillionTokens");
        RuleFor(o => o.Llm.MinConfidence).InclusiveBetween(0, 1).WithName("Sidecar:Llm:MinConfidence");
        RuleFor(o => o.Llm.MaxOutputTokens).InclusiveBetween(16, 100_000).WithName("Sidecar:Llm:MaxOutputTokens");
        RuleFor(o => o.Copilot.SummarizeAfterMessages).InclusiveBetween(1, 1000).WithName("Sidecar:Copilot:SummarizeAfterMessages");
        RuleFor(o => o.Copilot.ClassifierEncoder).Must(Copilot.Classification.ClassifierEncoders.IsKnown)
            .WithMessage(o => $"Sidecar:Copilot:ClassifierEncoder must be {string.Join(", ", Copilot.Classification.ClassifierEncoders.Names)}, not '{o.Copilot.ClassifierEncoder}'.");
        RuleFor(o => o.Knowledge.TopK).InclusiveBetween(1, 100).WithName("Sidecar:Knowledge:TopK");
        RuleFor(o => o.Freshdesk.BaseUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(o => !string.IsNullOrWhiteSpace(o.Freshdesk.BaseUrl))
            .WithName("Sidecar:Freshdesk:BaseUrl").WithMessage("'Sidecar:Freshdesk:BaseUrl' must be an absolute http(s) URL.");
        RuleFor(o => o.Freshdesk.Domain).Matches("^[a-z0-9][a-z0-9-]*(\\.[a-z0-9-]+)*$")
            .When(o => !string.IsNullOrWhiteSpace(o.Freshdesk.Domain))
            .WithName("Sidecar:Freshdesk:Domain").WithMessage("'Sidecar:Freshdesk:Domain' must be an account name (acme) or host (acme.freshdesk.com).");
        RuleFor(o => o.Freshdesk.ApiKey).NotEmpty().When(o => o.Freshdesk.IsConfigured)
            .WithName("Sidecar:Freshdesk:ApiKey").WithMessage("'Sidecar:Freshdesk:ApiKey' is required with 'Sidecar:Freshdesk:Domain' or 'Sidecar:Freshdesk:BaseUrl'.");
        RuleFor(o => o.Freshdesk.Timeout).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Freshdesk:Timeout");
        RuleFor(o => o.Zendesk.RateLimit.Requests).GreaterThanOrEqualTo(0).WithName("Sidecar:Zendesk:RateLimit:Requests");
        RuleFor(o => o.Zendesk.RateLimit.TicketUpdates).GreaterThanOrEqualTo(0).WithName("Sidecar:Zendesk:RateLimit:TicketUpdates");
        RuleFor(o => o.Zendesk.RateLimit.Window).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Zendesk:RateLimit:Window");
        RuleFor(o => o.Freshdesk.RateLimit.Requests).GreaterThanOrEqualTo(0).WithName("Sidecar:Freshdesk:RateLimit:Requests");
        RuleFor(o => o.Freshdesk.RateLimit.TicketUpdates).GreaterThanOrEqualTo(0).WithName("Sidecar:Freshdesk:RateLimit:TicketUpdates");
        RuleFor(o => o.Freshdesk.RateLimit.Window).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Freshdesk:RateLimit:Window");
        RuleFor(o => o.Acceptance.EditedThreshold).InclusiveBetween(0, 1).WithName("Sidecar:Acceptance:EditedThreshold");
        RuleFor(o => o.Acceptance.SentAsIsThreshold).InclusiveBetween(0, 1).GreaterThanOrEqualTo(o => o.Acceptance.EditedThreshold)
            .WithName("Sidecar:Acceptance:SentAsIsThreshold")
            .WithMessage("'Sidecar:Acceptance:SentAsIsThreshold' must be between 0 and 1 and not below 'Sidecar:Acceptance:EditedThreshold'.");
        RuleFor(o => o.Tagging.DefaultMode).Must(m => Enum.TryParse<Suggestions.Tagging.TagMode>(m, ignoreCase: true, out _))
            .WithName("Sidecar:Tagging:DefaultMode").WithMessage("'Sidecar:Tagging:DefaultMode' must be Off, Suggest or Auto.");
        RuleFor(o => o.Feedback.PublicBaseUrl)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .When(o => !string.IsNullOrWhiteSpace(o.Feedback.PublicBaseUrl))
            .WithName("Sidecar:Feedback:PublicBaseUrl").WithMessage("'Sidecar:Feedback:PublicBaseUrl' must be an absolute http(s) URL.");
        RuleFor(o => o.Feedback.LinkLifetime).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Feedback:LinkLifetime");
        RuleFor(o => o.Tagging.DefaultThreshold).InclusiveBetween(0, 1).WithName("Sidecar:Tagging:DefaultThreshold");
        RuleFor(o => o.Policy.File).Must(File.Exists).When(o => !string.IsNullOrWhiteSpace(o.Policy.File))
            .WithName("Sidecar:Policy:File").WithMessage("'Sidecar:Policy:File' names a file that does not exist.");
        // At start a broken policy file stops the sidecar (exit 2); once running, a broken edit is rejected and the last good policy stays.
        RuleFor(o => o.Policy.File).Custom((file, ctx) =>
        {
            if (string.IsNullOrWhiteSpace(file) || !File.Exists(file))
                return;
            var path = Path.GetFullPath(file);
            var errors = Copilot.Policy.PolicyLoader.ReadText(path) is { } text
                ? Copilot.Policy.PolicyLoader.Parse(path, text).Errors
                : [new Copilot.Policy.PolicyError(path, 1, 1, Copilot.Policy.PolicyLoader.TooLarge)];
            if (errors.Count > 0)
                ctx.AddFailure("Sidecar:Policy:File", $"'Sidecar:Policy:File' is invalid: {errors[0]}");
        });
        RuleFor(o => o.Policy.ReloadInterval).GreaterThan(TimeSpan.Zero).WithName("Sidecar:Policy:ReloadInterval");
    }

    private static bool IsPostgresConnectionString(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return false;
        try
        {
            return !string.IsNullOrWhiteSpace(new Npgsql.NpgsqlConnectionStringBuilder(text).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

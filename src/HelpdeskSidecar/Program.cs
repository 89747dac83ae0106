using HelpdeskSidecar.Access;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Copilot;
using HelpdeskSidecar.Copilot.Policy;
using HelpdeskSidecar.Helpdesks;
using HelpdeskSidecar.Hosting;
using HelpdeskSidecar.Hosting.OpsHealth;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Proposals;
using HelpdeskSidecar.Reports;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Settings;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Telemetry;
using HelpdeskSidecar.WebConsole;

/// <summary>
/// The table of contents: one ticket's journey is the order of the Add… calls below.
/// CLI commands (serve, demo, kb …) live in Cli/ and all build the same host.
/// </summary>
public partial class Program
{
    public static Task<int> Main(string[] args)
    {
        PrivateFiles.RestrictNewFiles(); // files 0600, folders 0700 from the first one (sidecar.lock, before the host is built)
        return SidecarCli.RunAsync(args);
    }

    internal static WebApplication BuildHost(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        HostSettings.ThrowIfNotSettings(args); // only --Key=Value reaches the configuration; a typo is not ignored
        // Content root beside the binaries, so appsettings.json is found from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddWebDefaults();
        CliLogging.Apply(builder);  // a CLI command's logs go to stderr, its results to stdout
        builder.AddSidecarOptions()
            .AddStorage()
            .AddAccess()         // users, roles, API tokens, console cookie, login rate limit
            .AddIngestion()      // webhook → verify → validate → durable inbox
            .AddScheduling()     // inbox → Hangfire job per ticket (debounced) → write-back job per suggestion
            .AddHelpdesks()      // Zendesk / Freshdesk APIs, or a replay file
            .AddAi()             // OpenAI-compatible chat and embeddings when Sidecar:Llm is set; offline otherwise
            .AddKnowledge()      // kb import / sync → chunks → embedded hybrid index or Qdrant
            .AddCopilot()        // ticket → redact → understand → policy → retrieve → draft → guardrails
            .AddSuggestions()    // store, trace, note, write-back, acceptance, tagging rules
            .AddSettings()       // mode per brand and intent, policy file edits, their audit
            .AddReports()        // acceptance, gaps, usage (latency, tokens, cost), overview
            .AddAuthoring()      // solved knowledge gaps → article proposals → reviewed → help-center drafts
            .AddConsole()        // the web console's background work (knowledge sync now)
            .AddOpsHealth()      // is anything stuck or failing: jobs, write-backs, inbox, rate limits, dependencies
            .AddTelemetry();     // OpenTelemetry traces and metrics, when enabled
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseWebDefaults();
        app.UseAccess();                // authentication, authorization by role, rate limits
        app.MapHealthEndpoints();
        app.MapIngestionEndpoints();
        app.MapSuggestionEndpoints();
        app.MapApprovalEndpoints();     // tagging rules + audit, signed feedback links
        app.MapReportEndpoints();       // acceptance, gaps, usage, overview, tag precision
        app.MapProposalEndpoints();     // article proposals from solved knowledge gaps: review, approve, publish as drafts
        app.MapPolicyEndpoints();       // the policy in force, why the last file was rejected, edits
        app.MapSettingsEndpoints();     // mode per brand and intent, the policy file's state, the audit
        app.MapKnowledgeEndpoints();    // the articles, their chunks, how often drafts cite them
        app.MapOpsHealthEndpoints();    // /api/health/ops: the health page's facts as JSON, and its Retry
        app.MapConsoleEndpoints();      // the web console: sign-in and pages
        app.MapJobDashboard();          // Hangfire's dashboard at /hangfire, behind the console sign-in
        return app;
    }
}

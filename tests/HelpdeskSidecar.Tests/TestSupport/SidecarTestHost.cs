using System.Net.Http.Headers;
using System.Text;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>The real sidecar host on a loopback port with a data dir of its own.</summary>
public sealed class SidecarTestHost : IAsyncDisposable
{
    public const string Secret = "test-signing-secret";
    public const string FreshdeskSecret = "test-freshdesk-webhook-secret";

    private readonly TempDirectory _dataDir;

    private SidecarTestHost(WebApplication app, TempDirectory dataDir, string adminToken)
    {
        App = app;
        _dataDir = dataDir;
        BaseAddress = new Uri(app.Urls.First());
        AdminToken = adminToken;
        Client = ClientWithToken(adminToken);
        AnonymousClient = new HttpClient { BaseAddress = BaseAddress };
    }

    internal WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>Carries an Admin API token (created at start), so <c>/api</c> calls are authorized for every role.</summary>
    public HttpClient Client { get; }

    /// <summary>No credentials at all: for tests of what a stranger is refused.</summary>
    public HttpClient AnonymousClient { get; }

    public string AdminToken { get; }

    /// <summary>A client whose requests carry <c>Authorization: Bearer {token}</c>; the caller disposes it.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates an API token with the role (as <c>tokens create</c> does) and returns its secret.</summary>
    internal async Task<string> CreateTokenAsync(Role role, string? name = null) =>
        (await Service<TokenStore>().CreateAsync(role, name, CancellationToken.None)).Secret;

    public string DataDir => _dataDir.Path;

    internal T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="settings">Configuration as <c>key=value</c>, e.g. <c>Sidecar:Mode=Live</c>.</param>
    /// <param name="map">Extra endpoints for a test, mapped after the sidecar's own.</param>
    internal static async Task<SidecarTestHost> StartAsync(IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var dataDir = new TempDirectory();
        var given = (settings ?? []).ToList();
        // Hosts in tests embed with the hashed encoder (instant, no model load) unless a test chooses an embedder;
        // the neural default is covered by the encoder's own tests and the demo.
        if (!given.Any(s => s.StartsWith("Sidecar:Knowledge:Encoder=", StringComparison.OrdinalIgnoreCase) || s.StartsWith("Sidecar:Llm:EmbeddingModel=", StringComparison.OrdinalIgnoreCase)))
            given.Add("Sidecar:Knowledge:Encoder=hashed");
        // Likewise the classifier trains on sparse features alone unless a test chooses a sentence encoder: loading
        // minilm on a host's first training could take longer on a cold machine than a test waits for a suggestion.
        if (!given.Any(s => s.StartsWith("Sidecar:Copilot:ClassifierEncoder=", StringComparison.OrdinalIgnoreCase)))
            given.Add("Sidecar:Copilot:ClassifierEncoder=none");
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Sidecar:DataDir={dataDir.Path}",
            $"--Sidecar:Zendesk:WebhookSecrets:0={Secret}",
            $"--Sidecar:Freshdesk:WebhookSecret={FreshdeskSecret}",
            // The loopback fakes have no plan limits; tests of the client-side limiter set their own.
            "--Sidecar:Zendesk:RateLimit:Requests=0",
            "--Sidecar:Zendesk:RateLimit:TicketUpdates=0",
            "--Sidecar:Freshdesk:RateLimit:Requests=0",
            "--Sidecar:Freshdesk:RateLimit:TicketUpdates=0",
            "--Sidecar:Scheduling:Debounce=00:00:00.200",
            "--Sidecar:Scheduling:InboxPollInterval=00:00:00.200",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. given.Select(s => "--" + s),
        ];
        var app = Program.BuildHost(args, configure);
        map?.Invoke(app);
        await app.StartAsync();
        var (_, adminToken) = await app.Services.GetRequiredService<TokenStore>().CreateAsync(Role.Admin, "test-admin", CancellationToken.None);
        return new SidecarTestHost(app, dataDir, adminToken);
    }

    /// <summary>A webhook request signed the way Zendesk signs it.</summary>
    public static HttpRequestMessage SignedWebhook(string body, string? timestamp = null, string secret = Secret)
    {
        timestamp ??= TimeProvider.System.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zendesk") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(ZendeskWebhookEndpoint.SignatureHeader, ZendeskSignature.Compute(secret, timestamp, bytes));
        request.Headers.Add(ZendeskWebhookEndpoint.TimestampHeader, timestamp);
        return request;
    }

    /// <summary>A <c>zen:event-type:ticket.*</c> event envelope shaped like the recorded examples.</summary>
    public static string TicketEvent(string eventId, long ticketId, string type = "ticket.created") => $$"""
        {
          "account_id": 22129848,
          "detail": { "id": "{{ticketId}}", "brand_id": "8447346621310", "subject": "A subject", "status": "OPEN", "tags": [] },
          "event": {},
          "id": "{{eventId}}",
          "subject": "zen:ticket:{{ticketId}}",
          "time": "2025-01-08T10:12:07.672717030Z",
          "type": "zen:event-type:{{type}}",
          "zendesk_event_version": "2022-11-06"
        }
        """;

    /// <summary>A Freshdesk rule's delivery: the secret as the Basic password (Freshdesk's "Requires authentication").</summary>
    public static HttpRequestMessage FreshdeskWebhook(string body, string? password = FreshdeskSecret, string user = "freshdesk")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/freshdesk") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (password is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return request;
    }

    /// <summary>The recommended template's body (manifests/freshdesk), as a rule renders it.</summary>
    public static string FreshdeskEvent(long ticketId, string triggeredEvent = "{ticket_action:created}", string updatedAt = "2026-01-01T10:00:00Z") => $$"""
        {"freshdesk_webhook": {
          "triggered_event": "{{triggeredEvent}}",
          "ticket_id": "{{ticketId}}",
          "ticket_updated_at": "{{updatedAt}}",
          "ticket_url": "https://acme.freshdesk.com/helpdesk/tickets/{{ticketId}}",
          "ticket_status": "Open"
          }
        }
        """;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AnonymousClient.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools(); // the job store's idle connections to this test's database
        _dataDir.Dispose();
    }
}

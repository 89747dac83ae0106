using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Hangfire;
using Hangfire.States;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Scheduling;
using HelpdeskSidecar.Storage;
using HelpdeskSidecar.Suggestions;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Hosting;

/// <summary>
/// The ops health page and its JSON twin through the real host on a loopback Zendesk: a note refused until the
/// write-back gives up shows as a retry, then as given up; Retry writes it exactly once however often it is sent;
/// 429s with Retry-After are counted per helpdesk; failed jobs show their exception in one redacted line.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public class OpsHealthTests(string provider)
{
    private const string Password = "correct horse battery staple";

    private static async Task<JsonNode> HealthAsync(SidecarTestHost host)
    {
        using var response = await host.Client.GetAsync("/api/health/ops");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!;
    }

    private static IEnumerable<JsonNode> Items(JsonNode node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
            current = current[part]!;
        return current.AsArray().Select(n => n!);
    }

    [Test]
    public async Task NoteRefusedUntilRetriesGiveUp_ShowsRetryThenGivenUp_AndRetryFromTheConsoleWritesItOnce()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode()
            .With(await StorageProviders.SettingsAsync(provider))
            .With("Sidecar:Scheduling:MaxRetries=2", "Sidecar:Scheduling:RetryInitialDelay=00:00:03")
            .WithUser("oscar", Role.OpsLead, Password)
            .StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        var ticket = zendesk.AddTicket(5101, "Refund", "When will my refund arrive on my card?");
        zendesk.FailNextUpdates(500, null, times: 2); // both runs the write-back gets

        using (var accepted = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("ev-5101", 5101))))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        // The first run failed: a retry is scheduled, and the page's JSON names the ticket, the attempt and the error.
        var retrying = await Eventually.GetAsync(async () => Items(await HealthAsync(host), "jobs.retrying").FirstOrDefault(j => j["ticket_id"]?.GetValue<string>() == "5101"),
            j => j is not null, TimeSpan.FromSeconds(30), "the write-back waiting for its retry");
        Assert.Multiple(() =>
        {
            Assert.That(retrying!["job"]!.GetValue<string>(), Is.EqualTo("write_back"));
            Assert.That(retrying["provider"]!.GetValue<string>(), Is.EqualTo("zendesk"));
            Assert.That(retrying["attempt"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(retrying["exception_type"]!.GetValue<string>(), Is.EqualTo(typeof(JobRetryException).FullName));
            Assert.That(retrying["message"]!.GetValue<string>(), Does.Contain("answered 500").And.Not.Contains("\n"));
        });

        // The second run failed too: the write-back is given up, with its reason.
        var givenUp = await Eventually.GetAsync(async () => Items(await HealthAsync(host), "write_backs.given_up").FirstOrDefault(w => w["ticket_id"]?.GetValue<string>() == "5101"),
            w => w is not null, TimeSpan.FromSeconds(30), "the write-back given up");
        var suggestionId = givenUp!["suggestion_id"]!.GetValue<string>();
        Assert.That(givenUp["reason"]!.GetValue<string>(), Does.Contain("Gave up after 2 attempts").And.Contain("500"));
        Assert.That(zendesk.Puts(5101), Has.Count.EqualTo(2));
        var marker = NoteMarker.For(suggestionId);
        Assert.That(ticket.Comments.Count(c => c.Body.Contains(marker, StringComparison.Ordinal)), Is.Zero);
        var health = await HealthAsync(host);
        Assert.That(health["problems"]!.AsArray().Select(p => p!.GetValue<string>()), Has.Some.Contains("given up"));
        Assert.That(Items(health, "inbox.last_webhooks").Single(w => w["provider"]!.GetValue<string>() == "zendesk")["received_at"], Is.Not.Null);

        // The ops lead presses Retry; the same form is sent twice at once (a double click), then once more from the stale page.
        using var session = new ConsoleSession(host.BaseAddress);
        using (var signIn = await session.SignInAsync("oscar", Password))
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (pageResponse, page) = await session.GetPageAsync("/console/health");
        pageResponse.Dispose();
        var form = page.QuerySelector<IHtmlFormElement>($"#retry-{suggestionId}") ?? throw new AssertionException("no Retry form for the given-up note");
        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").ToDictionary(i => i.Name!, i => i.Value);
        var action = form.GetAttribute("action")!;
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => session.Client.PostAsync(action, new FormUrlEncodedContent(fields))));
        var locations = answers.Select(a => a.Headers.Location?.ToString()).Order().ToList();
        foreach (var a in answers)
            a.Dispose();
        Assert.That(locations, Is.EqualTo(new[] { "/console/health?retried=queued", "/console/health?retried=unchanged" }));

        await Eventually.GetAsync(() => Task.FromResult(ticket.Comments.Count(c => c.Body.Contains(marker, StringComparison.Ordinal))),
            n => n >= 1, TimeSpan.FromSeconds(30), "the note after Retry");
        using (var again = await session.Client.PostAsync(action, new FormUrlEncodedContent(fields)))
            Assert.That(again.Headers.Location?.ToString(), Is.EqualTo("/console/health?retried=unchanged"));
        await HangfireJobs.QuietAsync(host);

        Assert.That(zendesk.Puts(5101), Has.Count.EqualTo(3), "two refused, one written");
        Assert.That(ticket.Comments.Count(c => c.Body.Contains(marker, StringComparison.Ordinal)), Is.EqualTo(1), "one note on the ticket");
        Assert.That((await host.Service<SuggestionStore>().GetAsync(suggestionId, CancellationToken.None))!.Status, Is.EqualTo(SuggestionStatus.Written));
        health = await HealthAsync(host);
        Assert.That(Items(health, "write_backs.given_up"), Is.Empty);
        Assert.That(health["write_backs"]!["given_up_count"]!.GetValue<long>(), Is.Zero);

        // The API's Retry on a note already written does nothing and says so.
        using var written = await host.Client.PostAsync($"/api/health/ops/write-backs/{suggestionId}/retry", null);
        Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(written.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(zendesk.Puts(5101), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task HelpdeskAnswers429WithRetryAfter_CountedPerHelpdeskWithTheWaitAsked()
    {
        await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().With(await StorageProviders.SettingsAsync(provider)).StartAsync();
        var (zendesk, host) = (scenario.Zendesk, scenario.Host);
        zendesk.AddTicket(5201, "Refund", "When will my refund arrive on my card?");
        zendesk.FailNextUpdates(429, "2", times: 1); // short: waited out inline, then written

        Assert.That(Items(await HealthAsync(host), "rate_limits.waits"), Is.Empty, "nothing counted before any call");
        using (var accepted = await host.Client.SendAsync(SidecarTestHost.SignedWebhook(SidecarTestHost.TicketEvent("ev-5201", 5201))))
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        await Eventually.GetAsync(() => Task.FromResult(zendesk.Puts(5201).Count), n => n >= 2, TimeSpan.FromSeconds(30), "the note after the wait");

        var waits = Items(await HealthAsync(host), "rate_limits.waits").ToList();
        Assert.That(waits, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(waits[0]["provider"]!.GetValue<string>(), Is.EqualTo("zendesk"));
            Assert.That(waits[0]["source"]!.GetValue<string>(), Is.EqualTo("helpdesk"));
            Assert.That(waits[0]["last_hour_count"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(waits[0]["last_hour_wait_seconds"]!.GetValue<double>(), Is.EqualTo(2.0));
            Assert.That(waits[0]["last_day_count"]!.GetValue<long>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task FailedJob_ShownWithTicketAttemptAndOneRedactedLine_NeverTheStackTrace()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Scheduling:MaxRetries=2", .. await StorageProviders.SettingsAsync(provider)]);
        Exception failure;
        try
        {
            throw new InvalidOperationException("Could not read the reply of ana.pereira@example.com\nsecond line with more detail");
        }
        catch (InvalidOperationException ex)
        {
            failure = ex;
        }
        // A job that failed on its last run (of two: its retry count is 1), as Hangfire's own retry filter leaves it.
        var jobs = host.Service<IBackgroundJobClient>(); // with the host's retry policy (2 runs)
        var jobId = jobs.Create<TicketPipelineJob>(j => j.RunAsync("zendesk", "7373", "ev-7373", null, CancellationToken.None), new ScheduledState(TimeSpan.FromHours(1)));
        using (var connection = host.Service<JobStorage>().GetConnection())
            connection.SetJobParameter(jobId, JobRetry.RetryCountParameter, "1");
        Assert.That(jobs.ChangeState(jobId, new FailedState(failure)), Is.True);

        var health = await HealthAsync(host);

        var failed = Items(health, "jobs.failed").Single(j => j["job_id"]!.GetValue<string>() == jobId);
        Assert.Multiple(() =>
        {
            Assert.That(health["jobs"]!["failed_count"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(failed["job"]!.GetValue<string>(), Is.EqualTo("pipeline"));
            Assert.That(failed["ticket_id"]!.GetValue<string>(), Is.EqualTo("7373"));
            Assert.That(failed["attempt"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(failed["exception_type"]!.GetValue<string>(), Is.EqualTo("System.InvalidOperationException"));
            Assert.That(failed["message"]!.GetValue<string>(), Does.StartWith("Could not read the reply of").And.Not.Contains("ana.pereira").And.Not.Contains("second line"));
            Assert.That(health.ToJsonString(), Does.Not.Contain("   at ").And.Not.Contains("ana.pereira"), "no stack trace, no address");
            Assert.That(health["problems"]!.AsArray().Select(p => p!.GetValue<string>()), Has.Some.Contains("1 job has failed"));
            Assert.That(health["jobs"]!["dashboard_url"]!.GetValue<string>(), Is.EqualTo("/hangfire"));
        });

        // The page says the same, and links to the dashboard.
        using var session = new ConsoleSession(host.BaseAddress);
        await host.Service<UserStore>().UpsertAsync("mia", Role.Manager, Password, CancellationToken.None);
        (await session.SignInAsync("mia", Password)).Dispose();
        var (response, page) = await session.GetPageAsync("/console/health");
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var row = page.QuerySelector($"#failed-jobs #job-{jobId}")?.TextContent ?? "";
            Assert.That(row, Does.Contain("zendesk 7373").And.Contain("InvalidOperationException").And.Not.Contain("ana.pereira"));
            Assert.That(page.QuerySelector("#jobs-dashboard")?.GetAttribute("href"), Is.EqualTo("/hangfire"));
        }
    }

    [Test]
    public async Task InboxEventsWaiting_AndModelDown_ReportedAsProblems()
    {
        var closed = ClosedLoopbackPort();
        await using var host = await SidecarTestHost.StartAsync(
            ["Sidecar:Scheduling:InboxPollInterval=00:10:00", $"Sidecar:Llm:BaseUrl=http://127.0.0.1:{closed}/v1", "Sidecar:Llm:ChatModel=gpt-test-mini",
             .. await StorageProviders.SettingsAsync(provider)]);
        // Written straight to the table (the writer would wake the dispatcher), received five minutes ago.
        var receivedAt = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        await using (var connection = await host.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO inbox_events (provider, dedupe_key, event_type, ticket_id, received_at, payload) VALUES ('freshdesk', 'k1', 'ticket_created', '9', @at, @payload)",
                new { at = receivedAt.ToString("O"), payload = Array.Empty<byte>() });
        }

        var health = await HealthAsync(host);

        Assert.Multiple(() =>
        {
            Assert.That(health["inbox"]!["pending"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(health["inbox"]!["oldest_pending_seconds"]!.GetValue<double>(), Is.InRange(299, 360));
            var freshdesk = Items(health, "inbox.last_webhooks").Single(w => w["provider"]!.GetValue<string>() == "freshdesk");
            Assert.That(freshdesk["seconds_ago"]!.GetValue<double>(), Is.InRange(299, 360));
            var model = Items(health, "dependencies").Single(d => d["name"]!.GetValue<string>() == "model");
            Assert.That(model["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
            var problems = health["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
            Assert.That(problems, Has.Some.Contains("1 webhook event is waiting in the inbox, the oldest for 5 min"));
            Assert.That(problems, Has.Some.StartsWith("The model is degraded"));
        });
    }

    [Test]
    public async Task QuietHost_NothingIsStuck_AndBadLimitIsAProblem()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));

        var health = await HealthAsync(host);
        Assert.That(health["problems"]!.AsArray(), Is.Empty, health.ToJsonString());
        Assert.That(health["dependencies"]!.AsArray(), Is.Empty, "neither a model nor Qdrant is configured");

        using var bad = await host.Client.GetAsync("/api/health/ops?limit=0");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("'limit' must be a whole number from 1 to 200"));

        using var unknown = await host.Client.PostAsync("/api/health/ops/write-backs/no-such-id/retry", null);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task GivenUpNote_RetryFormOnlyForOperations_ManagerReadsTheReasonOnly()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(provider));
        var store = host.Service<SuggestionStore>();
        await store.InsertAsync(WebConsole.HealthPageBrowserTests.GivenUp("s-given-up", 5401), CancellationToken.None);
        await store.MarkWriteFailedAsync("s-given-up", "Gave up after 6 attempts: zendesk answered 503 to the note on ticket 5401.", CancellationToken.None);
        await host.Service<UserStore>().UpsertAsync("mia", Role.Manager, Password, CancellationToken.None);
        await host.Service<UserStore>().UpsertAsync("oscar", Role.OpsLead, Password, CancellationToken.None);

        foreach (var (name, canRetry) in new[] { ("mia", false), ("oscar", true) })
        {
            using var session = new ConsoleSession(host.BaseAddress);
            (await session.SignInAsync(name, Password)).Dispose();
            var (response, page) = await session.GetPageAsync("/console/health");
            using (response)
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), name);
                Assert.That(page.QuerySelector("#given-up-s-given-up")?.TextContent, Does.Contain("zendesk 5401").And.Contain("answered 503"), name);
                Assert.That(page.QuerySelector("#retry-s-given-up") is not null, Is.EqualTo(canRetry), $"the Retry form for {name}");
            }
        }
    }

    /// <summary>A loopback port nobody listens on (taken, then given back).</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

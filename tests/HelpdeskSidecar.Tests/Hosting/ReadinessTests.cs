using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Hosting.Readiness;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace HelpdeskSidecar.Tests.Hosting;

/// <summary><c>/readyz</c> through the real host: every dependency named with its state, 503 when a required one is not ready.</summary>
public class ReadinessTests
{
    [Test]
    public async Task Readyz_EmbeddedDefaults_200WithDatabaseAndJobStorageReady()
    {
        await using var host = await SidecarTestHost.StartAsync();

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        var checks = Checks(body);
        Assert.That(checks.Keys, Is.EquivalentTo(new[] { "database", "job_storage" }), "no Qdrant and no model configured: not checked");
        Assert.That(checks["database"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(checks["database"]["required"]!.GetValue<bool>(), Is.True);
        Assert.That(checks["database"]["detail"]!.GetValue<string>(), Does.StartWith("sqlite, schema version "));
        Assert.That(checks["job_storage"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Readyz_OnPostgres_NamesPostgresWithTheLastMigrationApplied()
    {
        await using var host = await SidecarTestHost.StartAsync(await StorageProviders.SettingsAsync(StorageProviders.Postgres));

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(host.Service<IStateStoreProbe>(), Is.InstanceOf<PostgresStateStoreProbe>(), "AddStorage's registration wins over AddReadiness's SQLite default");
        var checks = Checks(body);
        Assert.That(checks["database"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        Assert.That(checks["database"]["detail"]!.GetValue<string>(),
            Is.EqualTo($"postgres, schema version {HelpdeskSidecar.Storage.PostgresMigrations.Steps.Length}"));
        Assert.That(checks["job_storage"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Readyz_QdrantConfiguredAtAClosedPort_ReportedDegradedButStill200()
    {
        var closed = ClosedLoopbackPort();
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Knowledge:Index=Qdrant", $"Sidecar:Knowledge:Qdrant:Url=http://127.0.0.1:{closed}"]);

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("ready"));
        var checks = Checks(body);
        Assert.That(checks["qdrant"]["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(checks["qdrant"]["required"]!.GetValue<bool>(), Is.False, "retrieval falls back to the embedded index");
        Assert.That(checks["qdrant"]["detail"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, "says why");
        Assert.That(checks["database"]["status"]!.GetValue<string>(), Is.EqualTo("ready"), "the others are still reported");
    }

    [Test]
    public async Task Readyz_QdrantReachable_200WithQdrantReady()
    {
        await using var qdrant = await FakeQdrant.StartAsync();
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Knowledge:Index=Qdrant", $"Sidecar:Knowledge:Qdrant:Url={qdrant.BaseUrl}"]);

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(Checks(body)["qdrant"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Readyz_ModelEndpointDown_ReportedDegradedButStill200()
    {
        var closed = ClosedLoopbackPort();
        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:Llm:BaseUrl=http://127.0.0.1:{closed}/v1", "Sidecar:Llm:ChatModel=gpt-test-mini"]);

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        var model = Checks(body)["model"];
        Assert.That(model["status"]!.GetValue<string>(), Is.EqualTo("degraded"));
        Assert.That(model["required"]!.GetValue<bool>(), Is.False, "the offline drafter answers without the model");
    }

    [Test]
    public async Task Readyz_ModelEndpointUp_ModelReady()
    {
        await using var openAi = await FakeOpenAi.StartAsync();
        await using var host = await SidecarTestHost.StartAsync([$"Sidecar:Llm:BaseUrl={openAi.BaseUrl}/v1", "Sidecar:Llm:ChatModel=gpt-test-mini"]);

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(Checks(body)["model"]["status"]!.GetValue<string>(), Is.EqualTo("ready"), body.ToJsonString());
        Assert.That(openAi.Requests.Select(r => r.Path), Does.Contain("/v1/models"), "the endpoint was asked");
    }

    [Test]
    public async Task Readyz_AnotherProviderProbeRegisteredLater_IsTheOneAsked_AndItsFailureIs503NamingTheDatabase()
    {
        await using var host = await SidecarTestHost.StartAsync(configure: b => b.Services.AddSingleton<IStateStoreProbe, UnreachableDatabase>());

        using var response = await host.AnonymousClient.GetAsync("/readyz");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
        var database = Checks(body)["database"];
        Assert.That(database["status"]!.GetValue<string>(), Is.EqualTo("not_ready"));
        Assert.That(database["detail"]!.GetValue<string>(), Is.EqualTo(UnreachableDatabase.Reason));
        Assert.That(Checks(body)["job_storage"]["status"]!.GetValue<string>(), Is.EqualTo("ready"));
    }

    /// <summary>Stands for a storage provider whose server is down: how a provider plugs its own probe in (AddSingleton after AddReadiness).</summary>
    private sealed class UnreachableDatabase : IStateStoreProbe
    {
        public const string Reason = "Failed to connect to 127.0.0.1:5432";

        public string Provider => "postgres";

        public Task<string> ProbeAsync(CancellationToken ct) => throw new System.Net.Sockets.SocketException((int)SocketError.ConnectionRefused, Reason);
    }

    [Test]
    public async Task Healthz_QdrantDown_StillOk()
    {
        await using var host = await SidecarTestHost.StartAsync(["Sidecar:Knowledge:Index=Qdrant", $"Sidecar:Knowledge:Qdrant:Url=http://127.0.0.1:{ClosedLoopbackPort()}"]);

        using var response = await host.AnonymousClient.GetAsync("/healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "liveness does not depend on other services");
    }

    private static Dictionary<string, JsonNode> Checks(JsonNode body) =>
        body["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);

    /// <summary>A port nothing listens on: bound once to learn a free one, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Knowledge.Qdrant;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Hosting.Readiness;

/// <summary>The state database answers a query (and, for SQLite, is migrated).</summary>
internal sealed class DatabaseReadiness(IStateStoreProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        HealthCheckResult.Healthy(await probe.ProbeAsync(ct));
}

/// <summary>Hangfire's job store answers: the servers (one per replica) that heartbeat into it are listed.</summary>
internal sealed class JobStorageReadiness(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        // Hangfire's storage API is synchronous.
        var servers = await Task.Run(() => storage.GetMonitoringApi().Servers().Count, ct);
        return HealthCheckResult.Healthy($"{servers} job server{(servers == 1 ? "" : "s")} registered");
    }
}

/// <summary>Qdrant answers a call that touches the configured collection (whether it exists yet does not matter).</summary>
internal sealed class QdrantReadiness(QdrantCalls qdrant, IOptions<QdrantOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var collection = options.Value.Collection;
        var exists = await qdrant.RunAsync((client, token) => client.CollectionExistsAsync(collection, token), ct);
        return HealthCheckResult.Healthy(exists ? $"collection '{collection}' exists" : $"reachable; collection '{collection}' is created on first import");
    }
}

/// <summary>
/// The OpenAI-compatible endpoint answers <c>GET {BaseUrl}/models</c>. Any answer but 401/403 or a 5xx counts as
/// reachable (some local servers do not list models). Not required: the offline drafter answers when the model fails.
/// </summary>
internal sealed class ModelReadiness(IHttpClientFactory clients, IOptions<LlmOptions> options) : IHealthCheck
{
    public const string ClientName = "readiness-model";

    /// <summary>The SDK's default endpoint, used when <c>Sidecar:Llm:BaseUrl</c> is unset.</summary>
    public const string DefaultBaseUrl = "https://api.openai.com/v1";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var llm = options.Value;
        var baseUrl = string.IsNullOrWhiteSpace(llm.BaseUrl) ? DefaultBaseUrl : llm.BaseUrl;
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl.TrimEnd('/') + "/models");
        if (!string.IsNullOrEmpty(llm.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", llm.ApiKey);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new HealthCheckResult(context.Registration.FailureStatus, $"HTTP {status}: the endpoint refuses 'Sidecar:Llm:ApiKey'")
            : status >= 500
                ? new HealthCheckResult(context.Registration.FailureStatus, $"HTTP {status}")
                : HealthCheckResult.Healthy($"HTTP {status} from {new Uri(baseUrl).GetLeftPart(UriPartial.Authority)}");
    }
}

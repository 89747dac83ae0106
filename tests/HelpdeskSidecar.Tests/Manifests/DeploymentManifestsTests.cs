using System.Net;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Manifests;

/// <summary>
/// manifests/Dockerfile, compose.yaml and kubernetes/ as their tools read them: every setting they name exists in the
/// options and the README, probes and health checks ask routes the real host answers, the image is multi-stage and
/// non-root, and the objects refer to each other correctly. Docker and Kubernetes do not run here: these are the checks
/// that can. Each checker is also shown a bad sample, so a manifest that names a bogus setting fails these tests.
/// </summary>
public class DeploymentManifestsTests
{
    private static readonly string[] RequiredKinds =
        ["Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"];

    private static Dockerfile Image => Dockerfile.Parse(File.ReadAllText(ManifestFiles.PathOf("Dockerfile")));

    private static object Compose => ManifestFiles.YamlDocuments(File.ReadAllText(ManifestFiles.PathOf("compose.yaml"))).Single()!;

    private static object Kubernetes(string kind) => ManifestFiles.KubernetesObjects().Single(o => ManifestFiles.Text(o.Document, "kind") == kind).Document;

    [Test]
    public void EveryManifest_NamesOnlySettingsThatExist()
    {
        var settings = new List<ManifestSetting>();
        settings.AddRange(Image.Environment().Keys.Select(k => new ManifestSetting("Dockerfile (ENV)", k)));
        settings.AddRange(ManifestFiles.ComposeSettings(Compose, "compose.yaml").Where(s => s.Service == "sidecar").Select(s => s.Setting));
        foreach (var (file, document) in ManifestFiles.KubernetesObjects())
            settings.AddRange(ManifestFiles.KubernetesSettings(file, document));
        foreach (var example in Directory.GetFiles(ManifestFiles.Root, "*.env.example", SearchOption.AllDirectories))
        {
            settings.AddRange(File.ReadAllLines(example).Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
                .Select(l => new ManifestSetting(Path.GetRelativePath(ManifestFiles.Root, example), l.Split('=', 2)[0].Trim())));
        }

        Assert.That(settings.Count(s => s.Name.StartsWith("Sidecar__", StringComparison.Ordinal)), Is.GreaterThan(20), "the manifests were read");
        Assert.That(SettingNames.Problems(settings, ManifestFiles.Readme), Is.Empty);
        Assert.That(settings.Select(s => s.Name), Is.SupersetOf(new[] { "Sidecar__Storage__Provider", "Sidecar__Storage__ConnectionString", "Sidecar__Telemetry__Enabled" }));
    }

    [Test]
    public void SettingChecker_BogusNames_EachNamedWithItsManifest()
    {
        var compose = ManifestFiles.YamlDocuments("""
            services:
              sidecar:
                environment:
                  Sidecar__Storage__Provider: Postgres
                  Sidecar__Storage__Provder: Postgres
                  Sidecar__Zendesk: yourcompany
                  Sidecar__Zendesk__WebhookSecrets__first: s3cret
            """).Single();
        var configMap = ManifestFiles.YamlDocuments("""
            apiVersion: v1
            kind: ConfigMap
            data:
              Sidecar__Llm__Temperature: "0.2"
              Sidecar__Knowledge__Qdrant__Url: http://qdrant:6334
              OTEL_EXPORTER_OTLP_ENDPONT: http://collector:4317
            """).Single()!;
        var settings = ManifestFiles.ComposeSettings(compose, "bad-compose.yaml").Select(s => s.Setting)
            .Concat(ManifestFiles.KubernetesSettings("bad-configmap.yaml", configMap))
            .Append(new ManifestSetting("bad.env", "Sidecar__Ingestion__MaxBatch")); // exists in the options, but the README never names it

        var problems = SettingNames.Problems(settings, ManifestFiles.Readme);

        Assert.That(problems, Has.Count.EqualTo(6), string.Join("\n", problems));
        Assert.That(problems, Has.One.Contains("bad-compose.yaml (service sidecar)").And.Contains("StorageOptions has no setting 'Provder'"));
        Assert.That(problems, Has.One.Contains("'Sidecar__Zendesk' is a section"));
        Assert.That(problems, Has.One.Contains("'first' must be a list index"));
        Assert.That(problems, Has.One.Contains("bad-configmap.yaml (ConfigMap)").And.Contains("LlmOptions has no setting 'Temperature'"));
        Assert.That(problems, Has.One.Contains("'OTEL_EXPORTER_OTLP_ENDPONT' is not a setting the sidecar reads"));
        Assert.That(problems, Has.One.Contains("(Sidecar:Ingestion:MaxBatch) is not in the README"));
    }

    [Test]
    public void Dockerfile_MultiStageNonRootWithHealthCheckAndDataVolume()
    {
        var image = Image;

        Assert.That(image.Problems(), Is.Empty);
        Assert.That(image.Stages, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(image.HealthCheckPath(), Is.EqualTo("/healthz"));
        Assert.That(image.Final.Last(i => i.Keyword is "ENTRYPOINT").Arguments, Does.Contain("HelpdeskSidecar.dll"));
    }

    [Test]
    public void DockerfileChecker_SingleStageAsRootWithoutHealthCheck_SaysSo()
    {
        var bad = Dockerfile.Parse("""
            FROM mcr.microsoft.com/dotnet/sdk:10.0
            WORKDIR /src
            COPY . .
            RUN dotnet publish src/HelpdeskSidecar -c Release -o /app
            ENV Sidecar__DataDir=/data
            USER root
            ENTRYPOINT ["dotnet", "/app/HelpdeskSidecar.dll"]
            """);

        var problems = bad.Problems();

        Assert.That(problems, Has.Some.Contains("not multi-stage"));
        Assert.That(problems, Has.Some.Contains("runs as root"));
        Assert.That(problems, Has.Some.Contains("no HEALTHCHECK"));
        Assert.That(problems, Has.Some.Contains("is not a VOLUME"));
    }

    [Test]
    public async Task Probes_AskRoutesTheHostAnswers()
    {
        var deployment = Kubernetes("Deployment");
        var container = ManifestFiles.Containers(deployment).Single();
        var readiness = ManifestFiles.Text(container, "readinessProbe", "httpGet", "path");
        var liveness = ManifestFiles.Text(container, "livenessProbe", "httpGet", "path");
        var startup = ManifestFiles.Text(container, "startupProbe", "httpGet", "path");
        Assert.That(readiness, Is.EqualTo("/readyz"));
        Assert.That(liveness, Is.EqualTo("/healthz"));

        string[] paths = [readiness!, liveness!, startup!, Image.HealthCheckPath()!];
        Assert.That(await UnansweredAsync(paths), Is.Empty);
        Assert.That(await UnansweredAsync(["/ready"]), Is.EqualTo(new[] { "/ready: 404" }), "a probe on a route that does not exist is caught");
    }

    [Test]
    public void Deployment_PortsAndProbesMatchTheImage()
    {
        var deployment = Kubernetes("Deployment");
        var container = ManifestFiles.Containers(deployment).Single();
        var http = ManifestFiles.Items(container, "ports").Single(p => ManifestFiles.Text(p, "name") == "http");

        Assert.That(ManifestFiles.Text(http, "containerPort"), Is.EqualTo(Image.ListenPort()?.ToString()), "the image listens where the pod says");
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
            Assert.That(ManifestFiles.Text(container, probe, "httpGet", "port"), Is.EqualTo("http"), probe);
        Assert.That(ManifestFiles.Text(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot"), Is.EqualTo("true"));
        Assert.That(ManifestFiles.Text(deployment, "spec", "template", "spec", "securityContext", "runAsUser"),
            Is.EqualTo(Image.Final.Last(i => i.Keyword == "USER").Arguments), "the pod runs as the image's user");
        var env = ManifestFiles.Items(container, "env").ToDictionary(e => ManifestFiles.Text(e, "name")!, e => ManifestFiles.Text(e, "value"));
        Assert.That(env["Sidecar__DataDir"], Is.EqualTo(ManifestFiles.Text(container, "volumeMounts", 0, "mountPath")), "the data dir is the mounted volume");
    }

    [Test]
    public void Kubernetes_EveryKindPresent_AndTheyReferToEachOther()
    {
        var objects = ManifestFiles.KubernetesObjects();
        Assert.That(objects.Select(o => ManifestFiles.Text(o.Document, "kind")), Is.SupersetOf(RequiredKinds));
        var kustomization = ManifestFiles.YamlDocuments(File.ReadAllText(ManifestFiles.PathOf("kubernetes/kustomization.yaml"))).Single();
        Assert.That(ManifestFiles.Items(kustomization, "resources").OfType<string>().Select(r => $"kubernetes/{r}"),
            Is.EquivalentTo(objects.Select(o => o.File).Distinct()), "kustomization lists every file");

        var deployment = Kubernetes("Deployment");
        var name = ManifestFiles.Text(deployment, "metadata", "name");
        var podLabels = ManifestFiles.At(deployment, "spec", "template", "metadata", "labels") as IDictionary<object, object?>;
        Assert.That(podLabels, Is.Not.Null);
        bool SelectsThePods(object? selector) =>
            selector is IDictionary<object, object?> wanted && wanted.Count > 0 && wanted.All(l => podLabels!.TryGetValue(l.Key, out var v) && Equals(v, l.Value));
        Assert.Multiple(() =>
        {
            Assert.That(SelectsThePods(ManifestFiles.At(deployment, "spec", "selector", "matchLabels")), Is.True, "Deployment selector");
            Assert.That(SelectsThePods(ManifestFiles.At(Kubernetes("Service"), "spec", "selector")), Is.True, "Service selector");
            Assert.That(SelectsThePods(ManifestFiles.At(Kubernetes("PodDisruptionBudget"), "spec", "selector", "matchLabels")), Is.True, "PDB selector");
            Assert.That(SelectsThePods(ManifestFiles.At(Kubernetes("NetworkPolicy"), "spec", "podSelector", "matchLabels")), Is.True, "NetworkPolicy selector");
            Assert.That(ManifestFiles.Text(Kubernetes("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"), Is.EqualTo(name), "HPA target");
            Assert.That(int.Parse(ManifestFiles.Text(Kubernetes("HorizontalPodAutoscaler"), "spec", "minReplicas")!), Is.GreaterThanOrEqualTo(2), "at least two replicas");
            var port = ManifestFiles.Items(Kubernetes("Service"), "spec", "ports").Single();
            Assert.That(ManifestFiles.Text(port, "targetPort"), Is.EqualTo("http"), "the Service targets the container's named port");
            var allowed = ManifestFiles.Items(Kubernetes("NetworkPolicy"), "spec", "ingress").SelectMany(i => ManifestFiles.Items(i, "ports")).Select(p => ManifestFiles.Text(p, "port"));
            Assert.That(allowed, Does.Contain(Image.ListenPort()?.ToString()), "the NetworkPolicy lets HTTP in");
        });

        var container = ManifestFiles.Containers(deployment).Single();
        var envFrom = ManifestFiles.Items(container, "envFrom").ToList();
        Assert.That(envFrom.Select(e => ManifestFiles.Text(e, "configMapRef", "name")).OfType<string>(), Is.EqualTo(new[] { ManifestFiles.Text(Kubernetes("ConfigMap"), "metadata", "name") }));
        Assert.That(envFrom.Select(e => ManifestFiles.Text(e, "secretRef", "name")).OfType<string>(), Is.EqualTo(new[] { ManifestFiles.Text(Kubernetes("Secret"), "metadata", "name") }));
        Assert.That(ManifestFiles.Keys(Kubernetes("ConfigMap"), "data"), Has.None.Contains("ApiToken").And.None.Contains("ConnectionString").And.None.Contains("Secret"),
            "secrets are in the Secret, not the ConfigMap");
    }

    [Test]
    public void Compose_TwoSidecarReplicasOnPostgresWithQdrantAndACollector()
    {
        var compose = Compose;
        Assert.That(ManifestFiles.Keys(compose, "services"), Is.SupersetOf(new[] { "sidecar", "postgres", "qdrant", "otel-collector" }));
        Assert.That(ManifestFiles.Text(compose, "services", "sidecar", "deploy", "replicas"), Is.EqualTo("2"));
        Assert.That(ManifestFiles.Text(compose, "services", "sidecar", "build", "dockerfile"), Is.EqualTo("manifests/Dockerfile"));
        Assert.That(ManifestFiles.Text(compose, "services", "postgres", "image"), Does.StartWith("postgres:15"));
        Assert.That(ManifestFiles.Keys(compose, "services", "sidecar", "depends_on"), Is.SupersetOf(new[] { "postgres", "qdrant", "otel-collector" }));

        var environment = ManifestFiles.At(compose, "services", "sidecar", "environment") as IDictionary<object, object?>;
        Assert.That(environment!["Sidecar__Storage__Provider"], Is.EqualTo("Postgres"));
        Assert.That((string)environment["Sidecar__Storage__ConnectionString"]!, Does.Contain("Host=postgres"), "the compose service name");
        Assert.That((string)environment["Sidecar__Knowledge__Qdrant__Url"]!, Does.StartWith("http://qdrant:6334"), "Qdrant's gRPC port");
        Assert.That((string)environment["OTEL_EXPORTER_OTLP_ENDPOINT"]!, Does.StartWith("http://otel-collector:4317"));

        // The collector's config is the file compose mounts, and it takes OTLP on the port the sidecars send to.
        var mount = ManifestFiles.Items(compose, "services", "otel-collector", "volumes").OfType<string>().Single();
        var config = ManifestFiles.YamlDocuments(File.ReadAllText(ManifestFiles.PathOf(mount.Split(':')[0]))).Single();
        Assert.That(ManifestFiles.Text(config, "receivers", "otlp", "protocols", "grpc", "endpoint"), Does.EndWith(":4317"));
        Assert.That(ManifestFiles.Items(config, "service", "pipelines", "traces", "receivers"), Does.Contain("otlp"));
        Assert.That(ManifestFiles.Items(config, "service", "pipelines", "metrics", "receivers"), Does.Contain("otlp"));
    }

    [Test]
    public void Compose_GivesSecretsAsFilesTheServiceMounts()
    {
        var compose = Compose;
        var environment = (IDictionary<object, object?>)ManifestFiles.At(compose, "services", "sidecar", "environment")!;
        var files = environment.Where(e => ((string)e.Key).EndsWith("_FILE", StringComparison.Ordinal))
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        Assert.That(files.Keys, Is.SupersetOf(new[] { "Sidecar__Zendesk__ApiToken_FILE", "Sidecar__Zendesk__WebhookSecrets__0_FILE", "Sidecar__Feedback__SigningKey_FILE" }));
        Assert.That(environment.Keys.Cast<string>(), Has.None.EqualTo("Sidecar__Zendesk__ApiToken").And.None.EqualTo("Sidecar__Feedback__SigningKey"),
            "a secret given as a file is not also in the environment (the sidecar refuses both)");

        // Each path is /run/secrets/<name> of a secret the service mounts and the file declares.
        var mounted = ManifestFiles.Items(compose, "services", "sidecar", "secrets").OfType<string>().ToList();
        var declared = ManifestFiles.Keys(compose, "secrets");
        foreach (var (key, path) in files)
        {
            Assert.That(path, Does.StartWith("/run/secrets/"), key);
            var name = path["/run/secrets/".Length..];
            Assert.That(mounted, Does.Contain(name), $"{key}: the sidecar service mounts {name}");
            Assert.That(declared, Does.Contain(name), $"{key}: {name} is declared under secrets:");
        }
    }

    /// <summary>Paths the real host does not answer with 200, as "path: status".</summary>
    private static async Task<IReadOnlyList<string>> UnansweredAsync(IEnumerable<string> paths)
    {
        await using var host = await SidecarTestHost.StartAsync();
        var unanswered = new List<string>();
        foreach (var path in paths.Distinct())
        {
            using var response = await host.AnonymousClient.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK)
                unanswered.Add($"{path}: {(int)response.StatusCode}");
        }
        return unanswered;
    }
}

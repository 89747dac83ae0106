using HelpdeskSidecar.Tests.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace HelpdeskSidecar.Tests.Manifests;

/// <summary>The deployment manifests in <c>manifests/</c>, read the way their tools read them.</summary>
internal static class ManifestFiles
{
    public static string Root { get; } = Path.Combine(Path.GetDirectoryName(Samples.Root)!, "manifests");

    public static string Readme { get; } = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Samples.Root)!, "README.md"));

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every YAML document of the file (a file may hold several, separated by <c>---</c>), as maps, lists and strings.</summary>
    public static IReadOnlyList<object?> YamlDocuments(string text)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<object?>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(deserializer.Deserialize<object?>(parser));
        return documents;
    }

    /// <summary>The Kubernetes objects of every <c>*.yaml</c> under <c>manifests/kubernetes</c> except the kustomization.</summary>
    public static IReadOnlyList<(string File, object Document)> KubernetesObjects() =>
        [.. Directory.GetFiles(PathOf("kubernetes"), "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => YamlDocuments(File.ReadAllText(f)).OfType<object>().Select(d => ($"kubernetes/{Path.GetFileName(f)}", d)))];

    /// <summary>The node at a path of map keys and list indexes, or null.</summary>
    public static object? At(object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (IDictionary<object, object?> map, string key) => map.TryGetValue(key, out var value) ? value : null,
                (IList<object?> list, int index) => index < list.Count ? list[index] : null,
                _ => null,
            };
        }
        return node;
    }

    public static string? Text(object? node, params object[] path) => At(node, path) as string;

    public static IEnumerable<object?> Items(object? node, params object[] path) => At(node, path) as IList<object?> ?? [];

    public static IEnumerable<string> Keys(object? node, params object[] path) =>
        (At(node, path) as IDictionary<object, object?>)?.Keys.Select(k => (string)k) ?? [];

    /// <summary>The settings a Kubernetes object names: ConfigMap and Secret keys, and the containers' <c>env</c> names.</summary>
    public static IEnumerable<ManifestSetting> KubernetesSettings(string file, object document)
    {
        var kind = Text(document, "kind");
        IEnumerable<string> names = kind switch
        {
            "ConfigMap" => Keys(document, "data"),
            "Secret" => Keys(document, "stringData").Concat(Keys(document, "data")),
            "Deployment" => Containers(document).SelectMany(c => Items(c, "env")).Select(e => Text(e, "name")).OfType<string>(),
            _ => [],
        };
        return names.Select(n => new ManifestSetting($"{file} ({kind})", n));
    }

    public static IEnumerable<object?> Containers(object deployment) => Items(deployment, "spec", "template", "spec", "containers");

    /// <summary>The variables every compose service sets, whether <c>environment</c> is a map or a list of <c>K=V</c>.</summary>
    public static IEnumerable<(string Service, ManifestSetting Setting)> ComposeSettings(object? compose, string source)
    {
        foreach (var service in Keys(compose, "services"))
        {
            var environment = At(compose, "services", service, "environment");
            IEnumerable<string> names = environment switch
            {
                IDictionary<object, object?> map => map.Keys.Select(k => (string)k),
                IList<object?> list => list.OfType<string>().Select(e => e.Split('=', 2)[0]),
                _ => [],
            };
            foreach (var name in names)
                yield return (service, new ManifestSetting($"{source} (service {service})", name));
        }
    }
}

using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.Manifests;

/// <summary>One instruction of a Dockerfile: <c>ENV A=1 B=2</c> is ("ENV", "A=1 B=2"), continuation lines joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>A Dockerfile read line by line into stages of instructions, as <c>docker build</c> reads it.</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<IReadOnlyList<DockerInstruction>> stages) => Stages = stages;

    /// <summary>Each stage's instructions, its <c>FROM</c> first.</summary>
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }

    public IReadOnlyList<DockerInstruction> Final => Stages[^1];

    public static Dockerfile Parse(string text)
    {
        var stages = new List<List<DockerInstruction>>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                line = line[..^1].TrimEnd() + (next.StartsWith('#') ? "" : " " + next);
            }
            var space = line.IndexOfAny([' ', '\t']);
            var instruction = new DockerInstruction(
                (space < 0 ? line : line[..space]).ToUpperInvariant(), space < 0 ? "" : line[(space + 1)..].Trim(), start);
            if (instruction.Keyword == "FROM")
                stages.Add([]);
            if (stages.Count == 0)
                continue; // ARG before the first FROM
            stages[^1].Add(instruction);
        }
        return new Dockerfile(stages);
    }

    /// <summary>The image a stage starts from: <c>FROM image AS name</c> → image.</summary>
    public static string BaseImage(IReadOnlyList<DockerInstruction> stage) => stage[0].Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    /// <summary>The variables the final stage's <c>ENV</c> instructions set, by name.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in Final.Where(i => i.Keyword == "ENV"))
        {
            var pairs = EnvPair().Matches(env.Arguments);
            if (pairs.Count == 0 && env.Arguments.Split(' ', 2) is [var name, var value])
                variables[name] = value.Trim(); // the legacy "ENV name value" form
            foreach (Match pair in pairs)
                variables[pair.Groups["name"].Value] = pair.Groups["value"].Value.Trim('"');
        }
        return variables;
    }

    /// <summary>What the checks below found wrong; empty for a good image.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Stages.Count < 2)
            problems.Add($"not multi-stage: {Stages.Count} stage(s)");
        else
        {
            if (!Stages.Take(Stages.Count - 1).Any(s => BaseImage(s).StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal)))
                problems.Add("no build stage on mcr.microsoft.com/dotnet/sdk:10.0");
            if (!BaseImage(Final).StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal))
                problems.Add($"the final stage runs on {BaseImage(Final)}, not mcr.microsoft.com/dotnet/aspnet:10.0");
            if (!Final.Any(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=", StringComparison.Ordinal)))
                problems.Add("the final stage copies nothing from the build stage");
        }
        var user = Final.LastOrDefault(i => i.Keyword == "USER")?.Arguments.Split(':')[0];
        if (user is null or "root" or "0")
            problems.Add($"the final stage runs as {user ?? "root (no USER)"}");
        else if (!int.TryParse(user, out _))
            problems.Add($"USER {user} is not numeric: Kubernetes cannot check runAsNonRoot");
        if (HealthCheckPath() is null)
            problems.Add("no HEALTHCHECK on an http://… URL");
        var dataDir = Environment().GetValueOrDefault("Sidecar__DataDir");
        if (dataDir is null || !Final.Any(i => i.Keyword == "VOLUME" && i.Arguments.Contains(dataDir, StringComparison.Ordinal)))
            problems.Add($"Sidecar__DataDir ({dataDir ?? "unset"}) is not a VOLUME");
        return problems;
    }

    /// <summary>The path the <c>HEALTHCHECK</c> asks for, e.g. <c>/healthz</c>.</summary>
    public string? HealthCheckPath()
    {
        var check = Final.LastOrDefault(i => i.Keyword == "HEALTHCHECK");
        return check is null ? null : HttpUrl().Match(check.Arguments) is { Success: true } url ? url.Groups["path"].Value : null;
    }

    /// <summary>The port of <c>ASPNETCORE_URLS</c>, e.g. 8080.</summary>
    public int? ListenPort() =>
        Environment().GetValueOrDefault("ASPNETCORE_URLS") is { } urls && Regex.Match(urls, @":(\d+)") is { Success: true } port
            ? int.Parse(port.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex("""(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/[^\s""']*)")]
    private static partial Regex HttpUrl();
}

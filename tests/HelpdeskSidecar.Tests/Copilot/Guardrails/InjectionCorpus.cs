using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Copilot.Guardrails;

/// <summary>Fixtures/redteam/injection-corpus.txt: prompt-injection attempts and benign look-alikes.</summary>
public static class InjectionCorpus
{
    public static IReadOnlyList<(bool Attack, string Text)> Load() => File.ReadAllLines(Fixtures.PathOf("redteam/injection-corpus.txt"))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('\t', 2))
        .Select(p => (p[0] switch { "attack" => true, "benign" => false, _ => throw new FormatException($"Unknown corpus kind '{p[0]}'.") },
            p[1].Replace("\\n", "\n", StringComparison.Ordinal)))
        .ToList();
}

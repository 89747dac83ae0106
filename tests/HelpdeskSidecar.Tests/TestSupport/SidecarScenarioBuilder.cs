using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Classification;
using Microsoft.AspNetCore.Builder;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>What a <see cref="SidecarScenario"/> starts with; nothing starts until <see cref="StartAsync"/>.</summary>
internal sealed class SidecarScenarioBuilder
{
    internal const string ArticlesFolder = "kb";
    internal const string PolicyFile = "policy.yaml";

    internal bool Live { get; private set; }
    internal bool Zendesk { get; private set; }
    internal bool Freshdesk { get; private set; }
    internal Action<FakeOpenAi>? OpenAi { get; private set; }
    internal string? Policy { get; private set; }
    internal List<string> Settings { get; } = [];
    internal List<(string Name, string Text)> Articles { get; } = [];
    internal List<string> KnowledgeFolders { get; } = [];
    internal List<(string Source, IEnumerable<LabeledText> Rows)> History { get; } = [];
    internal List<(string Name, Role Role, string Password)> Users { get; } = [];
    internal Action<WebApplicationBuilder>? ConfigureHost { get; private set; }

    /// <summary><c>Sidecar:Mode=Live</c>: notes are written to the helpdesk.</summary>
    public SidecarScenarioBuilder InLiveMode()
    {
        Live = true;
        return this;
    }

    /// <summary>A <see cref="FakeZendesk"/>, and the host connected to it.</summary>
    public SidecarScenarioBuilder WithZendesk()
    {
        Zendesk = true;
        return this;
    }

    /// <summary>A <see cref="FakeFreshdesk"/>, and the host connected to it with its API key.</summary>
    public SidecarScenarioBuilder WithFreshdesk()
    {
        Freshdesk = true;
        return this;
    }

    /// <summary>A <see cref="FakeOpenAi"/> scripted before the host starts; the host's model is <c>gpt-test-mini</c> on it.</summary>
    public SidecarScenarioBuilder WithOpenAi(Action<FakeOpenAi>? script = null)
    {
        OpenAi = script ?? (_ => { });
        return this;
    }

    /// <summary>The policy file (YAML), written to the scenario's folder and named in <c>Sidecar:Policy:File</c>.</summary>
    public SidecarScenarioBuilder WithPolicy(string yaml)
    {
        Policy = yaml;
        return this;
    }

    /// <summary>Configuration as <c>key=value</c>, after the scenario's own (so a test's value wins).</summary>
    public SidecarScenarioBuilder With(params string[] settings)
    {
        Settings.AddRange(settings);
        return this;
    }

    /// <summary>An article file (Markdown, HTML or text) imported as knowledge once the host runs.</summary>
    public SidecarScenarioBuilder WithArticle(string fileName, string text)
    {
        Articles.Add((fileName, text));
        return this;
    }

    /// <summary>A folder imported as knowledge once the host runs, e.g. <c>Samples.PathOf("knowledge")</c>.</summary>
    public SidecarScenarioBuilder WithKnowledge(string folder)
    {
        KnowledgeFolders.Add(folder);
        return this;
    }

    /// <summary>Past tickets the classifier learns from (<c>history import</c>).</summary>
    public SidecarScenarioBuilder WithHistory(IEnumerable<LabeledText> rows, string source = "test")
    {
        History.Add((source, rows));
        return this;
    }

    /// <summary>A console user (<c>users add</c>).</summary>
    public SidecarScenarioBuilder WithUser(string name, Role role, string password)
    {
        Users.Add((name, role, password));
        return this;
    }

    /// <summary>Changes to the host's services before it is built (e.g. a test's own TimeProvider).</summary>
    public SidecarScenarioBuilder ConfigureServices(Action<WebApplicationBuilder> configure)
    {
        ConfigureHost += configure;
        return this;
    }

    public Task<SidecarScenario> StartAsync() => SidecarScenario.StartAsync(this);
}

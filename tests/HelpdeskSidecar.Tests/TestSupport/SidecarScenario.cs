using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Knowledge;
using Microsoft.AspNetCore.Builder;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// The end-to-end set-up in one place: the loopback fakes a test asks for (Zendesk, Freshdesk, an OpenAI-compatible
/// model), the real sidecar host wired to them, then knowledge, classifier history and console users put in through the
/// host's own services. Disposing it stops the host, then the fakes, and removes the scenario's files.
/// </summary>
/// <example><code>
/// await using var scenario = await SidecarScenario.Create().WithZendesk().InLiveMode().WithArticle("refunds.md", "...").StartAsync();
/// </code></example>
internal sealed class SidecarScenario : IAsyncDisposable
{
    private readonly FakeZendesk? _zendesk;
    private readonly FakeFreshdesk? _freshdesk;
    private readonly FakeOpenAi? _openAi;

    private SidecarScenario(SidecarTestHost host, TempDirectory files, FakeZendesk? zendesk, FakeFreshdesk? freshdesk, FakeOpenAi? openAi)
    {
        Host = host;
        Files = files;
        _zendesk = zendesk;
        _freshdesk = freshdesk;
        _openAi = openAi;
    }

    public SidecarTestHost Host { get; }

    /// <summary>The scenario's own folder: articles under <c>kb/</c>, the policy file, anything a test adds.</summary>
    public TempDirectory Files { get; }

    public FakeZendesk Zendesk => _zendesk ?? throw new InvalidOperationException("the scenario has no Zendesk: build it WithZendesk()");

    public FakeFreshdesk Freshdesk => _freshdesk ?? throw new InvalidOperationException("the scenario has no Freshdesk: build it WithFreshdesk()");

    public FakeOpenAi OpenAi => _openAi ?? throw new InvalidOperationException("the scenario has no model: build it WithOpenAi()");

    /// <summary>The policy file written by <see cref="SidecarScenarioBuilder.WithPolicy"/>.</summary>
    public string PolicyPath => System.IO.Path.Combine(Files.Path, SidecarScenarioBuilder.PolicyFile);

    public static SidecarScenarioBuilder Create() => new();

    internal static async Task<SidecarScenario> StartAsync(SidecarScenarioBuilder plan)
    {
        var files = new TempDirectory();
        FakeZendesk? zendesk = null;
        FakeFreshdesk? freshdesk = null;
        FakeOpenAi? openAi = null;
        SidecarTestHost? host = null;
        try
        {
            List<string> settings = [];
            if (plan.Live)
                settings.Add("Sidecar:Mode=Live");
            if (plan.Zendesk)
            {
                zendesk = await FakeZendesk.StartAsync();
                settings.AddRange(zendesk.ConnectionSettings);
            }
            if (plan.Freshdesk)
            {
                freshdesk = await FakeFreshdesk.StartAsync();
                settings.AddRange([$"Sidecar:Freshdesk:BaseUrl={freshdesk.BaseUrl}", $"Sidecar:Freshdesk:ApiKey={FakeFreshdesk.ApiKey}"]);
            }
            if (plan.OpenAi is { } script)
            {
                openAi = await FakeOpenAi.StartAsync();
                script(openAi);
                settings.AddRange([$"Sidecar:Llm:BaseUrl={openAi.BaseUrl}/v1", "Sidecar:Llm:ChatModel=gpt-test-mini"]);
            }
            if (plan.Policy is { } policy)
                settings.Add($"Sidecar:Policy:File={files.File(SidecarScenarioBuilder.PolicyFile, policy)}");
            foreach (var (name, text) in plan.Articles)
                files.File(System.IO.Path.Combine(SidecarScenarioBuilder.ArticlesFolder, name), text);
            settings.AddRange(plan.Settings);

            host = await SidecarTestHost.StartAsync(settings, plan.ConfigureHost);
            var scenario = new SidecarScenario(host, files, zendesk, freshdesk, openAi);
            await scenario.FillAsync(plan);
            return scenario;
        }
        catch
        {
            if (host is not null)
                await host.DisposeAsync();
            await DisposeFakesAsync(zendesk, freshdesk, openAi);
            files.Dispose();
            throw;
        }
    }

    private async Task FillAsync(SidecarScenarioBuilder plan)
    {
        var ct = CancellationToken.None;
        if (plan.Articles.Count > 0)
            await Host.Service<KnowledgeImporter>().ImportFolderAsync(System.IO.Path.Combine(Files.Path, SidecarScenarioBuilder.ArticlesFolder), null, ct);
        foreach (var folder in plan.KnowledgeFolders)
            await Host.Service<KnowledgeImporter>().ImportFolderAsync(folder, null, ct);
        foreach (var (source, rows) in plan.History)
            await Host.Service<HistoryStore>().ImportAsync(source, rows, ct);
        foreach (var (name, role, password) in plan.Users)
            await Host.Service<UserStore>().UpsertAsync(name, role, password, ct);
    }

    private static async Task DisposeFakesAsync(FakeZendesk? zendesk, FakeFreshdesk? freshdesk, FakeOpenAi? openAi)
    {
        if (openAi is not null)
            await openAi.DisposeAsync();
        if (freshdesk is not null)
            await freshdesk.DisposeAsync();
        if (zendesk is not null)
            await zendesk.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await DisposeFakesAsync(_zendesk, _freshdesk, _openAi);
        Files.Dispose();
    }
}

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

using HelpdeskSidecar.Access;
using HelpdeskSidecar.Copilot.Classification;
using HelpdeskSidecar.Knowledge;

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

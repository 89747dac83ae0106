using HelpdeskSidecar.Ai;
using HelpdeskSidecar.Helpdesks.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>The real chat stack (resilience handler → OpenAI SDK → <see cref="OpenAiModels.Chat"/> → <see cref="StructuredChat"/>) against a <see cref="FakeOpenAi"/>.</summary>
internal sealed class ModelStack : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _http;

    public ModelStack(FakeOpenAi fake, TimeSpan? timeout = null, int maxRetries = 2, Action<LlmOptions>? configure = null)
    {
        Options = new LlmOptions
        {
            BaseUrl = fake.BaseUrl + "/v1",
            ApiKey = "sk-test-chat",
            ChatModel = "gpt-test-mini",
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            MaxRetries = maxRetries,
            InputCostPerMillionTokens = 0.15m,
            OutputCostPerMillionTokens = 0.60m,
        };
        configure?.Invoke(Options);
        // The resilience handler exactly as AddAi registers it for the chat client.
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient("model", http => http.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .AddOutboundResilience(_ => new OutboundLimits(Options.Timeout, Options.MaxRetries, PostsAreSafe: true));
        _services = services.BuildServiceProvider();
        _http = _services.GetRequiredService<IHttpClientFactory>().CreateClient("model");
        Client = OpenAiModels.Chat(_http, Options, NullLoggerFactory.Instance);
        Chat = new StructuredChat(Client, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<StructuredChat>.Instance);
    }

    public LlmOptions Options { get; }

    public IChatClient Client { get; }

    public StructuredChat Chat { get; }

    public IOptions<LlmOptions> Wrapped => Microsoft.Extensions.Options.Options.Create(Options);

    public void Dispose()
    {
        _http.Dispose();
        _services.Dispose();
    }
}

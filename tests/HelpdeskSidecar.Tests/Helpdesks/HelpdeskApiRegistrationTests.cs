using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Helpdesks.Freshdesk;
using HelpdeskSidecar.Helpdesks.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Helpdesks;

/// <summary>The helpdesk APIs are Refit clients generated at build time: <c>AddRefitClient</c> would need Refit.Reflection, which we do not ship.</summary>
public class HelpdeskApiRegistrationTests
{
    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new SidecarOptions
        {
            Zendesk = { BaseUrl = "http://127.0.0.1:1", Email = "bot@example.com", ApiToken = "t" },
            Freshdesk = { BaseUrl = "http://127.0.0.1:1", ApiKey = "k" },
        }));
        return services.AddZendesk().AddFreshdesk().BuildServiceProvider();
    }

    [Test]
    public void AddZendeskAndAddFreshdesk_ResolveTheSourceGeneratedRefitClients()
    {
        using var services = Services();

        var zendesk = services.GetRequiredService<IZendeskApi>();
        var freshdesk = services.GetRequiredService<IFreshdeskApi>();

        Assert.That(zendesk.GetType().FullName, Does.StartWith("Refit.Implementation.Generated"));
        Assert.That(freshdesk.GetType().FullName, Does.StartWith("Refit.Implementation.Generated"));
        Assert.That(services.GetServices<HelpdeskSidecar.Helpdesks.IHelpdesk>().Select(h => h.Provider), Is.EquivalentTo(new[] { "zendesk", "freshdesk" }));
    }
}

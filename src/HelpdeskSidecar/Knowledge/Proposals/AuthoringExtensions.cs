using FluentValidation;
using HelpdeskSidecar.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Knowledge.Proposals;

internal static class AuthoringExtensions
{
    /// <summary>Proposals from solved gap tickets, their review, and publishing them as help-center drafts where a helpdesk is configured.</summary>
    public static IHostApplicationBuilder AddAuthoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthoringOptions>().BindConfiguration(AuthoringOptions.Section)
            .Validate(o => o.MergeThreshold is >= 0 and <= 1, "'Sidecar:Authoring:MergeThreshold' must be from 0.0 to 1.0.")
            .Validate(o => o.PublishLease > TimeSpan.Zero, "'Sidecar:Authoring:PublishLease' must be a positive duration, e.g. 00:02:00.")
            .Validate(o => o.Zendesk.SectionId is null or > 0, "'Sidecar:Authoring:Zendesk:SectionId' must be a positive section id.")
            .Validate(o => o.Freshdesk.FolderId is null or > 0, "'Sidecar:Authoring:Freshdesk:FolderId' must be a positive folder id.")
            .Validate(o => o.Encoder is "minilm" or "arctic-xs" or "hashed", "'Sidecar:Authoring:Encoder' must be minilm, arctic-xs or hashed.")
            .ValidateOnStart();
        // The model loads on the first comparison (a question arriving while another proposal is open), not at start.
        builder.Services.TryAddKeyedSingleton(ProposalAuthoring.EncoderKey, (sp, _) =>
            Ai.Encoders.EncoderChoice.CreateOffline(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthoringOptions>>().Value.Encoder));
        builder.Services.TryAddSingleton<ProposalStore>();
        builder.Services.TryAddTransient<ProposalAuthoring>();
        builder.Services.TryAddTransient<ProposalPublisher>();
        builder.Services.TryAddSingleton<IValidator<ProposalEdit>, ProposalEditValidator>();
        var options = builder.Configuration.GetSidecarOptions();
        if (options.Zendesk.IsConfigured)
            builder.Services.AddTransient<IHelpCenterDrafts, ZendeskHelpCenterDrafts>();
        if (options.Freshdesk.IsConfigured)
            builder.Services.AddTransient<IHelpCenterDrafts, FreshdeskSolutionDrafts>();
        if (!string.IsNullOrWhiteSpace(options.Replay.File))
        {
            builder.Services.TryAddSingleton<ReplayHelpCenterDrafts>();
            builder.Services.AddSingleton<IHelpCenterDrafts>(sp => sp.GetRequiredService<ReplayHelpCenterDrafts>());
        }
        return builder;
    }
}

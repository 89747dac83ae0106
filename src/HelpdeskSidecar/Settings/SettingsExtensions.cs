using FluentValidation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HelpdeskSidecar.Settings;

/// <summary>What ops leads change at run time: the mode per brand and per intent, the policy file, and their audit.</summary>
internal static class SettingsExtensions
{
    public static IHostApplicationBuilder AddSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<SettingsAudit>();
        builder.Services.TryAddSingleton<ModeOverrideStore>();
        builder.Services.TryAddSingleton<PolicyFileEditor>();
        builder.Services.TryAddSingleton<IValidator<ModeRequest>, ModeRequestValidator>();
        return builder;
    }
}

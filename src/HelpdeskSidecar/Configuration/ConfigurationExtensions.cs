using FluentValidation;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Configuration;

internal static class ConfigurationExtensions
{
    public static IHostApplicationBuilder AddSidecarOptions(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddSecretFiles(); // Sidecar:…_FILE settings: secrets from mounted files, not the command line
        builder.Services.TryAddSingletonValidator();
        builder.Services.AddOptions<SidecarOptions>()
            .BindConfiguration(SidecarOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SidecarOptions>, FluentOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Reads the section for decisions made while registering services (which helpdesks exist, where the job
    /// store lives). A value that cannot be converted becomes a <see cref="SidecarConfigurationException"/> naming the key.
    /// </summary>
    public static SidecarOptions GetSidecarOptions(this IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(SidecarOptions.Section).Get<SidecarOptions>() ?? new SidecarOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new SidecarConfigurationException(ConfigurationValueProblem.Describe(ex.Message), ex);
        }
    }

    private static void TryAddSingletonValidator(this IServiceCollection services) =>
        services.AddSingleton<IValidator<SidecarOptions>, SidecarOptionsValidator>();

    private sealed class FluentOptionsValidation(IValidator<SidecarOptions> validator) : IValidateOptions<SidecarOptions>
    {
        public ValidateOptionsResult Validate(string? name, SidecarOptions options)
        {
            var result = validator.Validate(options);
            return result.IsValid
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(result.Errors.Select(e => e.ErrorMessage));
        }
    }
}

/// <summary>A configuration value that cannot be used; the message names the key.</summary>
internal sealed class SidecarConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

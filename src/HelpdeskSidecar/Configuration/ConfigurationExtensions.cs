using FluentValidation;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Configuration;

internal static class ConfigurationExtensions
{
    public static IHostApplicationBuilder AddSidecarOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingletonValidator();
        builder.Services.AddOptions<SidecarOptions>()
            .BindConfiguration(SidecarOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SidecarOptions>, FluentOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
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

using Microsoft.Extensions.Logging.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// A command's results go to standard output and its logs to standard error, so <c>history import … &gt; out.txt</c>
/// or a pipe gets the results alone. <c>serve</c> and <c>demo</c> keep logging to standard output, as a service does.
/// The choice flows with the command's own call (an <see cref="AsyncLocal{T}"/>), so hosts built elsewhere in the
/// same process (tests) are not affected.
/// </summary>
internal static class CliLogging
{
    private static readonly AsyncLocal<bool> _toStandardError = new();

    public static bool ToStandardError
    {
        get => _toStandardError.Value;
        set => _toStandardError.Value = value;
    }

    /// <summary>For <see cref="Program.BuildHost"/>: every console log line to standard error when a CLI command builds the host.</summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        if (ToStandardError)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}

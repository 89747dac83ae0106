using Spectre.Console;

namespace HelpdeskSidecar.Cli;

/// <summary>
/// A Spectre console on the current <see cref="Console.Out"/>. <see cref="AnsiConsole.Console"/> keeps the first
/// writer it saw, so a second command run in the same process (tests, the demo) would write to a stale one.
/// Redirected output (a file, a pipe) gets no colour codes and room for wide tables.
/// </summary>
internal static class ConsoleOutput
{
    public static IAnsiConsole Current()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = 160;
        return console;
    }

    /// <summary>A progress bar on standard error (results stay alone on standard output); null when standard error is not a terminal.</summary>
    public static Progress? ProgressOnStderr() =>
        Console.IsErrorRedirected ? null : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress();
}

using HelpdeskSidecar.Cli;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Runs the real command line in process and captures what it prints. Tests using it redirect the process-wide
/// Console, so their fixtures are <c>[NonParallelizable]</c>.
/// </summary>
public static class CliRunner
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await SidecarCli.RunAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

using HelpdeskSidecar.Cli;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Runs the real command line in process and captures what it prints. Tests using it redirect the process-wide
/// Console, so their fixtures are <c>[NonParallelizable]</c>.
/// </summary>
public static class CliRunner
{
    public static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunWithInputAsync("", args);

    /// <summary>Runs with <paramref name="input"/> as standard input (e.g. <c>--password-stdin</c>).</summary>
    public static async Task<(int Code, string Out, string Error)> RunWithInputAsync(string input, params string[] args)
    {
        var (oldIn, oldOut, oldError) = (Console.In, Console.Out, Console.Error);
        using var reader = new StringReader(input);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetIn(reader);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = await SidecarCli.RunAsync(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetIn(oldIn);
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

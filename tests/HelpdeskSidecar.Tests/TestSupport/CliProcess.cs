using System.Diagnostics;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// The real command line as a child process (<c>dotnet HelpdeskSidecar.dll …</c>), for what only a process shows: that it
/// ends at all, and what the host's own loggers print. A process still running at the time limit is killed (with its
/// children) and reported as <see cref="Result.TimedOut"/>.
/// </summary>
public static class CliProcess
{
    public sealed record Result(int? Code, string Out, string Error, bool TimedOut);

    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HelpdeskSidecar.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        return new Result(timedOut ? null : process.ExitCode, await output, await error, timedOut);
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// The real sidecar as a child process (<c>dotnet HelpdeskSidecar.dll serve …</c>) on a loopback port, so a test
/// can kill it the hard way (SIGKILL) and start it again on the same data dir.
/// </summary>
public sealed partial class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private SidecarProcess(Process process) => _process = process;

    public Uri BaseAddress => _listening.Task.Result;

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Tail => string.Join('\n', _output.TakeLast(40));

    public bool HasExited => _process.HasExited;

    public static async Task<SidecarProcess> StartAsync(IEnumerable<string> settings, TimeSpan? timeout = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "HelpdeskSidecar.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var setting in settings)
            start.ArgumentList.Add("--" + setting);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var sidecar = new SidecarProcess(process);
        process.OutputDataReceived += (_, e) => sidecar.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => sidecar.OnLine(e.Data);
        process.Exited += (_, _) => sidecar._listening.TrySetException(new InvalidOperationException("The sidecar exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await sidecar._listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await sidecar.DisposeAsync();
            Assert.Fail($"The sidecar did not start: {ex.Message}\n{sidecar.Tail}");
        }
        return sidecar;
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 200)
            _output.TryDequeue(out _);
        if (Listening().Match(line) is { Success: true } match)
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
    }

    /// <summary>SIGKILL to the process and its children: no shutdown hooks, no flush, no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

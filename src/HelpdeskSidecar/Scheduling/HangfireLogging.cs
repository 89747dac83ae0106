using Hangfire.Logging;
using HfLogLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace HelpdeskSidecar.Scheduling;

/// <summary>
/// Hangfire's log goes to the host's <see cref="ILoggerFactory"/>. Hangfire keeps its log provider, and the loggers
/// its classes take from it, in static fields: with Hangfire's own provider, every logger stays bound to the first
/// host's factory and throws once that host is disposed (the next host in the same process, a test, a CLI command
/// after <c>demo</c>). These loggers look up the latest host's factory on each call instead, and say nothing when
/// there is none left.
/// </summary>
internal sealed class HangfireLogging : ILogProvider
{
    private static volatile ILoggerFactory? s_current;

    private HangfireLogging()
    {
    }

    public static HangfireLogging For(ILoggerFactory factory)
    {
        s_current = factory;
        return new HangfireLogging();
    }

    public ILog GetLogger(string name) => new CurrentHostLog(name);

    private sealed class CurrentHostLog(string name) : ILog
    {
        public bool Log(HfLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                if (s_current is not { } factory)
                    return false;
                logger = factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false; // that host has stopped; the next one installs its factory when it starts
            }
            var level = logLevel switch
            {
                HfLogLevel.Trace => MsLogLevel.Trace,
                HfLogLevel.Debug => MsLogLevel.Debug,
                HfLogLevel.Info => MsLogLevel.Information,
                HfLogLevel.Warn => MsLogLevel.Warning,
                HfLogLevel.Error => MsLogLevel.Error,
                HfLogLevel.Fatal => MsLogLevel.Critical,
                _ => MsLogLevel.None,
            };
            // A null message only asks whether the level is on (Hangfire's LibLog convention).
            if (messageFunc is null)
                return logger.IsEnabled(level);
            if (logger.IsEnabled(level))
                logger.Log(level, default, messageFunc(), exception, static (message, _) => message);
            return true;
        }
    }
}

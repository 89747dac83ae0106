using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// Every log entry a host writes (after its configured level filters), for tests of what is logged and how:
/// add it with <c>builder.Logging.AddProvider(logs)</c> in <c>SidecarTestHost.StartAsync</c>'s configure.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string EventName, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId.Name ?? "", formatter(state, exception), exception));
    }
}

using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>Keeps every log line (level and formatted message) in memory, for tests of what is logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => _lines.ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>A logger provider for a whole host (<c>builder.Logging.AddProvider</c>): every category's lines in one list.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly CapturingLogger<CapturingLoggerProvider> _logger = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => _logger.Lines;

    public ILogger CreateLogger(string categoryName) => _logger;

    public void Dispose()
    {
    }
}

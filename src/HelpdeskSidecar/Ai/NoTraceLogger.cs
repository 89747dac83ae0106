namespace HelpdeskSidecar.Ai;

/// <summary>
/// Microsoft.Extensions.AI's logging middleware writes the whole prompt and answer at Trace. Prompts are redacted ticket
/// text, and no ticket text goes to the logs at any level: this logger keeps its Debug lines (call started, completed,
/// failed) and drops Trace.
/// </summary>
internal sealed class NoTraceLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel > LogLevel.Trace && inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}

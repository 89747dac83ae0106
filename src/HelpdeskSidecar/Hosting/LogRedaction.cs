using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Hosting;

/// <summary>
/// A feedback link's URL is its capability, and ASP.NET Core logs request paths: "Request starting … GET
/// https://…/feedback/{token}" at Information, the <c>RequestPath</c> of every entry's scope, and whatever else quotes
/// a URL. The host's logger factory is wrapped so that every entry, from every category and to every provider, has
/// the token cut out of its message, its structured values and its scopes before any provider sees it
/// (<c>/feedback/[redacted]</c>). The request log itself stays: it is how an operator sees that links are used.
/// </summary>
internal static partial class LogRedaction
{
    public const string Replacement = "/feedback/[redacted]";

    /// <summary>Replaces the host's <see cref="ILoggerFactory"/> with the same factory behind the redaction.</summary>
    public static void AddLogRedaction(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));

    /// <summary>The text with each feedback token (the path segment after <c>/feedback/</c>) replaced.</summary>
    public static string Redact(string text) =>
        text.Contains("/feedback/", StringComparison.OrdinalIgnoreCase) ? FeedbackToken().Replace(text, Replacement) : text;

    private static bool NeedsRedaction(string? text) => text is not null && text.Contains("/feedback/", StringComparison.OrdinalIgnoreCase);

    // Up to the end of the path segment: a query, a fragment, whitespace or a quote ends it.
    [GeneratedRegex(@"/feedback/[^/?#\s""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeedbackToken();

    /// <summary>The text a value adds to a message; numbers, dates, ids and the like cannot carry a path.</summary>
    private static string? TextOf(object? value) => value switch
    {
        null or bool or IFormattable => null,
        string text => text,
        _ => value.ToString(),
    };

    /// <summary>The state with its values and message redacted, or null when nothing in it needs redacting.</summary>
    /// <param name="message">The formatted message; only asked for when the state is not a list of values (whose
    /// template and values say all the message can say).</param>
    private static RedactedState? RedactState<TState>(TState state, Func<string> message)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        var needed = values is null ? NeedsRedaction(message()) : values.Any(v => NeedsRedaction(TextOf(v.Value)));
        if (!needed)
            return null;
        var redacted = values?.Select(v => NeedsRedaction(TextOf(v.Value)) ? new KeyValuePair<string, object?>(v.Key, Redact(TextOf(v.Value)!)) : v).ToList() ?? [];
        return new RedactedState(redacted, Redact(message()));
    }

    /// <summary>A log entry's state with its values and message already redacted; structured providers read the values.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    private sealed class RedactingLoggerFactory(LoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            RedactState(state, () => state.ToString() ?? "") is { } redacted
                ? inner.BeginScope(redacted)
                : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            if (RedactState(state, () => formatter(state, exception)) is { } redacted)
                inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
            else
                inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}

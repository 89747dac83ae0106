using System.Net.Sockets;
using Polly.Timeout;

namespace HelpdeskSidecar.Helpdesks.Http;

/// <summary>
/// An expected network failure in words a log reader can act on ("connection refused (127.0.0.1:1)", "no answer
/// within 00:00:30") instead of an exception type; such failures are logged as one line, never with a stack trace.
/// </summary>
internal static class NetworkFailure
{
    public static string Describe(Exception ex) => ex switch
    {
        // Refit hands a transport failure back wrapped; what went wrong is inside.
        Refit.ApiRequestException { InnerException: { } inner } => Describe(inner),
        // "Connection refused (127.0.0.1:1)", "Name or service not known (nowhere.invalid:443)": the cause and the address.
        HttpRequestException { InnerException: SocketException } http => LowerFirst(http.Message.TrimEnd('.')),
        HttpRequestException http when http.InnerException is { } inner => LowerFirst(inner.Message.TrimEnd('.')),
        HttpRequestException http => LowerFirst(http.Message.TrimEnd('.')),
        TimeoutRejectedException timeout => $"no answer within {timeout.Timeout:c}",
        TaskCanceledException => "the request timed out",
        _ => LowerFirst(ex.Message.TrimEnd('.')),
    };

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}

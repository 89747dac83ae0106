using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// What the loopback helpdesk and model fakes share: a WireMock server on a free loopback port, routes as request
/// matchers (method + path pattern) answered by response callbacks over the fake's state, and WireMock's request log
/// read back as <see cref="RecordedRequest"/>s in the order the requests arrived.
/// </summary>
internal sealed class WireMockLoopback : IDisposable
{
    /// <summary>Checks every request must pass (body length, credentials) win over the routes.</summary>
    private const int GuardPriority = 1;
    private const int RoutePriority = 10;

    private const string WarmUpPath = "/__loopback/warm-up";

    // The fakes parse request bodies themselves (System.Text.Json); WireMock keeps the text.
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { DisableJsonBodyParsing = true });
    private readonly long _startedTimestamp = TimeProvider.System.GetTimestamp();
    private readonly DateTime _startedUtc = TimeProvider.System.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A server's first request is slow (JIT, first connection), long enough to lose a race with a test's 300 ms client
    /// timeout: one request goes through the whole path here, then the log starts empty.
    /// </summary>
    public WireMockLoopback()
    {
        _server.Given(Request.Create().UsingPost().WithPath(WarmUpPath)).AtPriority(0).RespondWith(Response.Create().WithCallback(_ => Empty(204)));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + WarmUpPath) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        using var response = http.Send(request);
        _server.ResetLogEntries();
    }

    public string BaseUrl => $"http://127.0.0.1:{_server.Ports[0]}";

    /// <param name="pathPattern">A regular expression for the whole path, e.g. <c>^/api/v2/tickets/\d+$</c>.</param>
    public void Map(string method, string pathPattern, Func<IRequestMessage, IResponseMessage> answer) =>
        _server.Given(Request.Create().UsingMethod(method).WithPath(new RegexMatcher(pathPattern)))
            .AtPriority(RoutePriority)
            .RespondWith(Response.Create().WithCallback(answer));

    public void Map(string method, string pathPattern, Func<IRequestMessage, Task<IResponseMessage>> answer) =>
        _server.Given(Request.Create().UsingMethod(method).WithPath(new RegexMatcher(pathPattern)))
            .AtPriority(RoutePriority)
            .RespondWith(Response.Create().WithCallback(answer));

    /// <summary>
    /// Like many servers and gateways in front of real helpdesks: a PUT or POST body must come with its length, not
    /// chunked (411 otherwise).
    /// </summary>
    public void RequireContentLength() =>
        _server.Given(Request.Create().UsingMethod("PUT", "POST")
                .WithHeader(headers => !headers.Keys.Any(k => k.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))))
            .AtPriority(GuardPriority)
            .RespondWith(Response.Create().WithStatusCode(411));

    /// <summary>Any request whose <c>Authorization</c> is not <paramref name="expected"/> gets <paramref name="status"/> with the body.</summary>
    public void RequireAuthorization(string expected, int status, JsonNode body) =>
        _server.Given(Request.Create().UsingAnyMethod().WithHeader(headers => Header(headers, "Authorization") != expected))
            .AtPriority(GuardPriority + 1)
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
                .WithBody(body.ToJsonString()));

    /// <summary>Every request received so far (answered or not), oldest first, from WireMock's request log.</summary>
    public IReadOnlyList<IRequestMessage> Log() =>
        _server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime).ToList();

    public IReadOnlyList<RecordedRequest> Requests() => Log().Select(ToRecorded).ToList();

    private RecordedRequest ToRecorded(IRequestMessage request) =>
        new(request.Method, PathAndQuery(request), string.IsNullOrEmpty(request.Body) ? null : request.Body, Authorization(request), TimestampOf(request));

    /// <summary>The arrival time as a <see cref="TimeProvider.GetTimestamp"/> reading, for latency measurements.</summary>
    private long TimestampOf(IRequestMessage request) =>
        _startedTimestamp + (long)((request.DateTime - _startedUtc).Ticks * (TimeProvider.System.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    public static string PathAndQuery(IRequestMessage request) => request.Path + request.RawQuery;

    public static string Authorization(IRequestMessage request) =>
        request.Headers is { } headers && headers.TryGetValue("Authorization", out var values) ? string.Join(",", values) : "";

    private static string? Header(IDictionary<string, string[]> headers, string name) =>
        headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { } values ? string.Join(",", values) : null;

    /// <summary>A query parameter, decoded as ASP.NET Core decodes it (<c>page[after]</c> arrives as sent or escaped).</summary>
    public static string? Query(IRequestMessage request, string name) =>
        QueryHelpers.ParseQuery(request.RawQuery).TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>The number in a path segment, e.g. segment 3 of <c>/api/v2/tickets/42</c> is 42.</summary>
    public static long IdAt(IRequestMessage request, int segment) =>
        long.Parse(request.PathSegments[segment], System.Globalization.CultureInfo.InvariantCulture);

    public static JsonNode? BodyJson(IRequestMessage request) =>
        string.IsNullOrEmpty(request.Body) ? null : JsonNode.Parse(request.Body);

    public static ResponseMessage Json(JsonNode? body, int status = 200) => Bytes(Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null"), status);

    /// <summary>A JSON answer with these bytes as the body (a recorded fixture as it is).</summary>
    public static ResponseMessage Bytes(byte[] body, int status = 200)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
        };
        response.AddHeader("Content-Type", "application/json; charset=utf-8");
        return response;
    }

    /// <summary>An error answer with the recorded body and, when given, a <c>Retry-After</c> header.</summary>
    public static IResponseMessage Error(int status, string? retryAfter, byte[] body)
    {
        var response = Bytes(body, status);
        if (retryAfter is not null)
            response.AddHeader("Retry-After", retryAfter);
        return response;
    }

    public static IResponseMessage Empty(int status) => new ResponseMessage { StatusCode = status };

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}

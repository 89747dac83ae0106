using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HelpdeskSidecar.Tests.Manifests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HelpdeskSidecar.Tests.HelpdeskApps;

/// <summary>
/// A loopback stand-in for the helpdesk around a ticket-sidebar app: it serves the app's own files from
/// <c>manifests/{zendesk,freshdesk}/app</c> and, in place of the helpdesk's client library, a script whose client object
/// records what the app inserts and the events it listens to, and forwards its requests here. This server is the
/// helpdesk's proxy: like Zendesk's (secure settings) and Freshworks' (request templates with secure iparams) it adds the
/// sidecar token server-side, so the page never holds it, and sends the call on to the real sidecar.
/// </summary>
internal sealed partial class HelpdeskStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new();

    private HelpdeskStandIn(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests the proxy refused (not secure, no token placeholder, another host): each with the reason.</summary>
    public List<string> Refused { get; } = [];

    /// <param name="sidecar">The running sidecar's base address (the app's sidecar URL setting / iparam).</param>
    /// <param name="token">The sidecar API token, known only to this server (the helpdesk's secure setting).</param>
    /// <param name="ticketId">The ticket the agent has open.</param>
    public static async Task<HelpdeskStandIn> StartAsync(Uri sidecar, string token, string ticketId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        HelpdeskStandIn? self = null;
        var sidecarBase = sidecar.GetLeftPart(UriPartial.Authority);

        app.MapGet("/zendesk/assets/zaf_sdk.js", () => Results.Text(
            ZafStandIn.Replace("__SIDECAR_URL__", sidecarBase, StringComparison.Ordinal).Replace("__TICKET__", ticketId, StringComparison.Ordinal),
            "text/javascript"));
        app.MapGet("/zendesk/assets/{file}", (string file) => ServeFile(ManifestFiles.PathOf("zendesk/app/assets"), file));
        app.MapPost("/zaf/request", async (HttpRequest request) => await self!.ZendeskProxyAsync(request, sidecarBase, token));

        app.MapGet("/freshdesk/appclient.js", () => Results.Text(
            FreshworksStandIn.Replace("__TICKET__", ticketId, StringComparison.Ordinal), "text/javascript"));
        app.MapGet("/freshdesk/index.html", () => Results.Text(
            File.ReadAllText(ManifestFiles.PathOf("freshdesk/app/app/index.html")).Replace("{{{appclient}}}", "/freshdesk/appclient.js", StringComparison.Ordinal),
            "text/html"));
        app.MapGet("/freshdesk/{folder}/{file}", (string folder, string file) => ServeFile(ManifestFiles.PathOf($"freshdesk/app/app/{folder}"), file));
        app.MapPost("/fdk/invoke", async (HttpRequest request) => await self!.FreshworksProxyAsync(request, sidecar, token));

        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        self = new HelpdeskStandIn(app, address);
        return self;
    }

    private static IResult ServeFile(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (file.Contains("..", StringComparison.Ordinal) || !File.Exists(path))
            return Results.NotFound();
        var type = Path.GetExtension(file) switch
        {
            ".js" => "text/javascript",
            ".css" => "text/css",
            ".html" => "text/html",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.File(File.ReadAllBytes(path), type);
    }

    /// <summary>Zendesk's proxy for <c>client.request</c>: only a <c>secure</c> request gets <c>{{setting.token}}</c> filled in.</summary>
    private async Task<IResult> ZendeskProxyAsync(HttpRequest request, string sidecarBase, string token)
    {
        var options = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        var url = (string?)options["url"] ?? "";
        var headers = options["headers"]?.AsObject() ?? [];
        var authorization = (string?)headers["Authorization"] ?? "";
        if (options["secure"]?.GetValue<bool>() != true)
            return Refuse("the request is not secure: true");
        if (!authorization.Contains("{{setting.token}}", StringComparison.Ordinal))
            return Refuse("the Authorization header does not use {{setting.token}}");
        if (!url.StartsWith(sidecarBase + "/", StringComparison.Ordinal))
            return Refuse($"{url} is not on the whitelisted sidecar host");
        var method = new HttpMethod((string?)options["type"] ?? "GET");
        using var forward = new HttpRequestMessage(method, url);
        forward.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("{{setting.token}}", token, StringComparison.Ordinal));
        if ((string?)options["data"] is { } data)
            forward.Content = new StringContent(data, Encoding.UTF8, new MediaTypeHeaderValue((string?)options["contentType"] ?? "application/json"));
        return await SendAsync(forward);
    }

    /// <summary>The Freshworks platform running a request template of <c>config/requests.json</c> with the installation's iparams.</summary>
    private async Task<IResult> FreshworksProxyAsync(HttpRequest request, Uri sidecar, string token)
    {
        var call = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        var name = (string?)call["name"] ?? "";
        var templates = JsonNode.Parse(File.ReadAllText(ManifestFiles.PathOf("freshdesk/app/config/requests.json")))!.AsObject();
        var manifest = JsonNode.Parse(File.ReadAllText(ManifestFiles.PathOf("freshdesk/app/manifest.json")))!;
        if (templates[name]?["schema"] is not JsonObject schema)
            return Refuse($"there is no request template '{name}'");
        if (manifest["modules"]?["support_ticket"]?["requests"]?[name] is null)
            return Refuse($"the manifest does not declare the request template '{name}'");
        var iparams = new Dictionary<string, string> { ["sidecar_host"] = sidecar.Authority, ["token"] = token };
        var context = call["options"]?["context"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") ?? [];
        string Render(string text) => Placeholder().Replace(text, m =>
            (m.Groups[1].Value == "iparam" ? iparams : context).TryGetValue(m.Groups[2].Value, out var v)
                ? (m.Groups[1].Value == "context" ? Uri.EscapeDataString(v) : v)
                : throw new InvalidOperationException($"template {name}: no value for {m.Value}"));

        // The templates say https (Freshworks calls out over TLS only); the sidecar in the test listens on plain loopback HTTP.
        var query = schema["query"]?.AsObject().Select(p => $"{p.Key}={Uri.EscapeDataString(Render((string)p.Value!))}") ?? [];
        var url = $"{sidecar.Scheme}://{Render((string)schema["host"]!)}{Render((string)schema["path"]!)}";
        if (query.Any())
            url += "?" + string.Join("&", query);
        using var forward = new HttpRequestMessage(new HttpMethod((string)schema["method"]!), url);
        string? contentType = null;
        foreach (var (header, value) in schema["headers"]?.AsObject() ?? [])
        {
            if (header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                contentType = Render((string)value!);
            else
                forward.Headers.TryAddWithoutValidation(header, Render((string)value!));
        }
        if ((string?)call["options"]?["body"] is { } body)
            forward.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType ?? "application/json"));
        return await SendAsync(forward);
    }

    private async Task<IResult> SendAsync(HttpRequestMessage forward)
    {
        using var response = await _forward.SendAsync(forward);
        var text = await response.Content.ReadAsStringAsync();
        return Results.Text(text, response.Content.Headers.ContentType?.ToString() ?? "text/plain", statusCode: (int)response.StatusCode);
    }

    private IResult Refuse(string reason)
    {
        lock (Refused)
            Refused.Add(reason);
        return Results.Text(reason, statusCode: StatusCodes.Status403Forbidden);
    }

    [GeneratedRegex(@"<%=\s*(iparam|context)\.(\w+)\s*%>")]
    private static partial Regex Placeholder();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }

    /// <summary>Served in place of the ZAF SDK: <c>ZAFClient.init()</c> returns a client that records and forwards.</summary>
    private const string ZafStandIn = """
        window.__standIn = { inserted: [], set: [], events: {}, requests: [], invoked: [] };
        window.ZAFClient = { init: function () {
          var s = window.__standIn;
          return {
            metadata: function () { return Promise.resolve({ settings: { sidecar_url: '__SIDECAR_URL__' } }); },
            get: function (path) { var r = {}; r[path] = path === 'ticket.id' ? Number('__TICKET__') : null; return Promise.resolve(r); },
            invoke: function (name, arg) {
              s.invoked.push(name);
              if (name === 'ticket.editor.insert') s.inserted.push(arg);
              return Promise.resolve({});
            },
            set: function (path, value) { s.set.push([path, value]); return Promise.resolve({}); },
            on: function (name, cb) { (s.events[name] = s.events[name] || []).push(cb); },
            request: function (options) {
              s.requests.push(JSON.stringify(options));
              return fetch('/zaf/request', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(options) })
                .then(function (r) { return r.text().then(function (text) {
                  if (r.status >= 200 && r.status < 300) return options.dataType === 'json' && text ? JSON.parse(text) : text;
                  throw { status: r.status, responseText: text, statusText: r.statusText };
                }); });
            }
          };
        } };
        """;

    /// <summary>Served in place of the Freshworks client library (<c>{{{appclient}}}</c>): <c>app.initialized()</c> gives a recording client.</summary>
    private const string FreshworksStandIn = """
        window.__standIn = { inserted: [], triggers: [], events: {}, requests: [] };
        window.app = { initialized: function () {
          var s = window.__standIn;
          return Promise.resolve({
            data: { get: function (what) { return what === 'ticket' ? Promise.resolve({ ticket: { id: Number('__TICKET__') } }) : Promise.reject(new Error(what)); } },
            interface: { trigger: function (action, arg) {
              s.triggers.push(action);
              if (action === 'setValue' && arg && arg.id === 'editor') s.inserted.push(arg.text);
              return Promise.resolve({});
            } },
            events: { on: function (name, cb) { (s.events[name] = s.events[name] || []).push(cb); } },
            request: { invokeTemplate: function (name, options) {
              s.requests.push(JSON.stringify({ name: name, options: options }));
              return fetch('/fdk/invoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: name, options: options }) })
                .then(function (r) { return r.text().then(function (text) {
                  var answer = { status: r.status, headers: {}, response: text };
                  if (r.status >= 200 && r.status < 300) return answer;
                  answer.errorSource = 'APP';
                  throw answer;
                }); });
            } }
          });
        } };
        """;
}

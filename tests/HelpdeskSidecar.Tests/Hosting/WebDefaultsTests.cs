using System.Net;
using System.Text.Json.Nodes;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Hosting;

public class WebDefaultsTests
{
    private SidecarTestHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await SidecarTestHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [TestCase("/healthz", "ok")]
    [TestCase("/readyz", "ready")]
    public async Task Health_Endpoints_AnswerOk(string path, string status)
    {
        var body = JsonNode.Parse(await _host.Client.GetStringAsync(path))!;
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo(status));
    }

    [Test]
    public async Task OpenApi_Document_ListsTheWebhookAndSuggestionRoutes()
    {
        var document = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/webhooks/zendesk", "/api/suggestions", "/api/suggestions/{id}" }));
        foreach (var webhook in new[] { "/webhooks/zendesk", "/webhooks/freshdesk" })
            Assert.That(document["paths"]![webhook]!["post"]!["requestBody"]?["content"]?["application/json"]?["schema"], Is.Not.Null, webhook);
    }

    [Test]
    public async Task OpenApi_Document_SaysApiOperationsTakeABearerToken_AndWebhooksDoNot()
    {
        var document = JsonNode.Parse(await _host.Client.GetStringAsync("/openapi/v1.json"))!;

        Assert.That(document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>(), Is.EqualTo("bearer"));
        var list = document["paths"]!["/api/suggestions"]!["get"]!;
        Assert.That(list["security"]!.AsArray().Single()!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "bearer" }));
        Assert.That(document["paths"]!["/webhooks/zendesk"]!["post"]!["security"], Is.Null);
    }

    [Test]
    public async Task MalformedJsonBody_Is400Problem_SayingWhatCouldNotBeRead()
    {
        using var content = new StringContent("{bad json", System.Text.Encoding.UTF8, "application/json");
        using var response = await _host.Client.PutAsync("/api/tagging/tags/refund", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("request body as JSON"));
    }

    [TestCase("POST", "/api/suggestions/s1/feedback", "text/plain", "application/json")]
    [TestCase("PUT", "/api/tagging/tags/refund", "text/plain", "application/json")]
    [TestCase("PUT", "/api/policy", "application/json", "text/yaml")]
    public async Task WrongContentType_Is415Problem_NamingTheAcceptedType(string method, string path, string sent, string accepted)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, sent) };
        using var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]?.GetValue<string>(), Does.StartWith("Send the body as ").And.Contain(accepted).And.Contain($"'{sent}"));
    }

    [TestCase("POST", "/api/suggestions/s1/feedback", "", "The request has no body: the body must be a JSON object with verdict and reason.")]
    [TestCase("POST", "/api/suggestions/s1/feedback", "null", "The request has no body: the body must be a JSON object with verdict and reason.")]
    [TestCase("PUT", "/api/tagging/tags/refund", "", "The request has no body: the body must be a JSON object with mode and threshold.")]
    [TestCase("PUT", "/api/tagging/intents/refund", "null", "The request has no body: the body must be a JSON object with mode and threshold.")]
    [TestCase("PUT", "/api/tagging/tags/refund", "[1,2]", "Could not read the request body as JSON: the body must be a JSON object with mode and threshold.")]
    public async Task MissingOrWrongBody_Is400Problem_SayingWhatTheBodyMustBe(string method, string path, string body, string detail)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        using var response = await _host.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo(detail));
    }

    [TestCase("abc", "'limit' must be a whole number, not 'abc'.")]
    [TestCase("1.5", "'limit' must be a whole number, not '1.5'.")]
    public async Task ListSuggestions_LimitNotANumber_Is400SayingItMustBeAWholeNumber(string limit, string detail)
    {
        using var response = await _host.Client.GetAsync($"/api/suggestions?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo(detail));
    }

    [Test]
    public async Task GetSuggestion_Unknown_Is404Problem()
    {
        using var response = await _host.Client.GetAsync("/api/suggestions/nope");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [TestCase("0")]
    [TestCase("5000")]
    [TestCase("abc")]
    public async Task ListSuggestions_BadLimit_Is400(string limit)
    {
        using var response = await _host.Client.GetAsync($"/api/suggestions?limit={limit}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task UnknownRoute_Is404()
    {
        using var response = await _host.Client.GetAsync("/no/such/page");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

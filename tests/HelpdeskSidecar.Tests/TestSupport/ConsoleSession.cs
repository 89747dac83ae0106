using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>
/// A browser-like client for the console over real HTTP: keeps cookies, does not follow redirects (tests look at
/// them), and fills in the antiforgery field the way a browser submits the page's form.
/// </summary>
public sealed class ConsoleSession : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public ConsoleSession(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public CookieContainer Cookies { get; }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Parser.ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>GETs the page and parses it.</summary>
    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return (response, await ParseAsync(response));
    }

    /// <summary>Submits the form with <paramref name="formSelector"/> found on <paramref name="pagePath"/>, its hidden fields included.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pagePath, string formSelector, IReadOnlyDictionary<string, string> fields)
    {
        var (response, page) = await GetPageAsync(pagePath);
        using (response)
        {
            var form = page.QuerySelector<IHtmlFormElement>(formSelector)
                ?? throw new AssertionException($"No form '{formSelector}' on {pagePath} ({(int)response.StatusCode}).");
            var values = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").ToDictionary(i => i.Name!, i => i.Value);
            foreach (var (key, value) in fields)
                values[key] = value;
            var action = form.GetAttribute("action") ?? pagePath;
            return await Client.PostAsync(action, new FormUrlEncodedContent(values));
        }
    }

    /// <summary>Signs in through the login form; returns the response to the POST (a redirect when it worked).</summary>
    public Task<HttpResponseMessage> SignInAsync(string name, string password) =>
        SubmitAsync("/console/login", "#login-form", new Dictionary<string, string> { ["username"] = name, ["password"] = password });

    public void Dispose() => Client.Dispose();
}

using HelpdeskSidecar.Helpdesks.Freshdesk;

namespace HelpdeskSidecar.Tests.Helpdesks.Freshdesk;

/// <summary>Only the page a <c>Link</c> header names is followed, never its host or path.</summary>
public class LinkHeaderTests
{
    private static LinkHeader.Page? Next(string? link)
    {
        using var response = new HttpResponseMessage();
        if (link is not null)
            response.Headers.TryAddWithoutValidation("Link", link);
        return LinkHeader.Next(response.Headers);
    }

    [Test]
    public void Next_LinkOnAnotherHostAndPath_KeepsOnlyThePageAndItsSize()
    {
        var next = Next("<https://attacker.example/steal/key?per_page=30&page=3&to=elsewhere>; rel=\"next\"");

        Assert.That(next, Is.EqualTo(new LinkHeader.Page(30, 3)));
    }

    [Test]
    public void Next_NoPerPage_AsksTheClientsPageSize()
    {
        Assert.That(Next("</api/v2/tickets/5/conversations?page=2>; rel=next"), Is.EqualTo(new LinkHeader.Page(FreshdeskClient.PageSize, 2)));
    }

    [TestCase(null)]
    [TestCase("<https://acme.freshdesk.com/api/v2/tickets?page=1>; rel=\"prev\"")]
    public void Next_NoNextLink_IsTheLastPage(string? link) => Assert.That(Next(link), Is.Null);

    [Test]
    public void Next_NextLinkWithoutAPageNumber_SaysSoRatherThanEndingTheList()
    {
        Assert.That(Next("<https://acme.freshdesk.com/api/v2/tickets?cursor=abc>; rel=\"next\""), Is.EqualTo(new LinkHeader.Page(FreshdeskClient.PageSize, null)));
    }
}

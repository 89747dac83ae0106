using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Suggestions.Acceptance;
using HelpdeskSidecar.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Tests.Suggestions.Acceptance;

public class FeedbackLinksTests
{
    private static (FeedbackLinks Links, ManualTimeProvider Clock) Create(string key = "k1", string? baseUrl = "https://sidecar.example.com/")
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new SidecarOptions { Feedback = new FeedbackLinkOptions { SigningKey = key, PublicBaseUrl = baseUrl, LinkLifetime = TimeSpan.FromDays(1) } });
        return (new FeedbackLinks(options, clock), clock);
    }

    [Test]
    public void For_SignsAcceptAndRejectLinksThatVerifyUntilTheyExpire()
    {
        var (links, clock) = Create();
        var made = links.For("s1");
        Assert.That(made.Select(l => l.Action), Is.EqualTo(new[] { FeedbackLinks.Accept, FeedbackLinks.Reject }));
        Assert.That(made[0].Url, Does.StartWith("https://sidecar.example.com/feedback/"));

        var token = made[1].Url.Split("/feedback/")[1];
        var (check, claim) = links.Verify(token);
        Assert.That(check, Is.EqualTo(FeedbackLinkCheck.Valid));
        Assert.That((claim!.SuggestionId, claim.Action), Is.EqualTo(("s1", FeedbackLinks.Reject)));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.That(links.Verify(token).Check, Is.EqualTo(FeedbackLinkCheck.Expired));
    }

    [Test]
    public void Verify_OtherKeyOrEditedPayloadOrGarbage_Refused()
    {
        var (links, _) = Create();
        var token = links.Token("s1", FeedbackLinks.Accept, new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));
        Assert.That(Create(key: "k2").Links.Verify(token).Check, Is.EqualTo(FeedbackLinkCheck.BadSignature));

        var forged = links.Token("s2", FeedbackLinks.Accept, new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero)).Split('.')[0] + "." + token.Split('.')[1];
        Assert.That(links.Verify(forged).Check, Is.EqualTo(FeedbackLinkCheck.BadSignature));
        Assert.That(links.Verify("not-a-token").Check, Is.EqualTo(FeedbackLinkCheck.Malformed));
        Assert.That(links.Verify("!!.??").Check, Is.EqualTo(FeedbackLinkCheck.Malformed));
    }

    [Test]
    public void For_WithoutPublicBaseUrl_NoLinks()
    {
        Assert.That(Create(baseUrl: null).Links.For("s1"), Is.Empty);
    }
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Test]
    public void Verify_SameLinkSpelledAnotherWay_Malformed()
    {
        var (links, _) = Create();
        var token = links.Token("s1", FeedbackLinks.Accept, new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));
        var dot = token.IndexOf('.');
        // A 32-byte MAC is 43 characters: the last one carries 2 unused bits, which a lenient decoder ignores.
        var last = Alphabet.IndexOf(token[^1]);
        string[] respellings =
        [
            token + "=", token[..dot] + "=." + token[(dot + 1)..], token + " ", " " + token, token[..5] + "\n" + token[5..],
            token[..(dot + 3)] + "\t" + token[(dot + 3)..], token[..(dot + 3)] + "\r" + token[(dot + 3)..],
            token[..^1] + Alphabet[last ^ 1], token[..^1] + Alphabet[last ^ 2],
        ];
        Assert.That(links.Verify(token).Check, Is.EqualTo(FeedbackLinkCheck.Valid));
        Assert.That(respellings.Select(t => links.Verify(t).Check), Is.All.EqualTo(FeedbackLinkCheck.Malformed));
    }

    [Test]
    public void Verify_ClaimCarriesTheMacAsTokenWritesIt()
    {
        var (links, _) = Create();
        var token = links.Token("s1", FeedbackLinks.Reject, new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));
        Assert.That(links.Verify(token).Claim!.Signature, Is.EqualTo(token.Split('.')[1]));
    }
}

using HelpdeskSidecar.Copilot.Redaction;

namespace HelpdeskSidecar.Tests.Copilot.Redaction;

/// <summary>A corpus of our own: what must be redacted, and look-alikes (orders, dates, tracking numbers) that must not.</summary>
public class PiiRedactorTests
{
    // True positives: (text, the raw value, the placeholder kind expected in its place).
    private static readonly object[] Positives =
    [
        new object[] { "Write to jane.doe+orders@example.co.uk please", "jane.doe+orders@example.co.uk", "EMAIL" },
        new object[] { "My email is Bob_Smith@mail.example.com.", "Bob_Smith@mail.example.com", "EMAIL" },
        new object[] { "Call me on +1 (415) 555-0132 after 5pm", "+1 (415) 555-0132", "PHONE" },
        new object[] { "UK mobile +44 7700 900123", "+44 7700 900123", "PHONE" },
        new object[] { "Berlin office +49 30 12345678", "+49 30 12345678", "PHONE" },
        new object[] { "Office phone (415) 555-0199", "(415) 555-0199", "PHONE" },
        new object[] { "ring 415-555-0142 any time", "415-555-0142", "PHONE" },
        new object[] { "London 020 7946 0958", "020 7946 0958", "PHONE" },
        new object[] { "portable 06 12 34 56 78", "06 12 34 56 78", "PHONE" },
        new object[] { "Handy 0151 23456789", "0151 23456789", "PHONE" },
        new object[] { "card 4111 1111 1111 1111 was charged twice", "4111 1111 1111 1111", "CARD" },
        new object[] { "Mastercard 5500-0000-0000-0004 declined", "5500-0000-0000-0004", "CARD" },
        new object[] { "amex 378282246310005 expired", "378282246310005", "CARD" },
        new object[] { "refund to DE89 3704 0044 0532 0130 00 please", "DE89 3704 0044 0532 0130 00", "IBAN" },
        new object[] { "IBAN GB82WEST12345698765432", "GB82WEST12345698765432", "IBAN" },
        new object[] { "compte FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606", "IBAN" },
        new object[] { "my SSN is 123-45-6789", "123-45-6789", "SSN" },
        new object[] { "SSN: 234567890 for the tax form", "234567890", "SSN" },
        new object[] { "login from 203.0.113.45 was blocked", "203.0.113.45", "IP" },
        new object[] { "my IPv6 is 2001:db8:85a3::8a2e:370:7334 today", "2001:db8:85a3::8a2e:370:7334", "IP" },
        new object[] { "reset link https://shop.example.com/reset?token=abc123XYZsecret&lang=en", "abc123XYZsecret", "SECRET" },
        new object[] { "https://api.example.com/v1/orders?api_key=sk_live_9f8e7d6c", "sk_live_9f8e7d6c", "SECRET" },
        new object[] { "download https://cdn.example.com/f.pdf?X-Amz-Signature=deadbeef0123&x=1", "deadbeef0123", "SECRET" },
        new object[] { "https://example.com/login?user=ann&password=hunter22", "hunter22", "SECRET" },
    ];

    // False positives: look-alikes that must come through unchanged.
    private static readonly string[] Negatives =
    [
        "Order #4532015112830366 has not arrived",      // Luhn-valid digits, but marked as an order number
        "Order 4111 1111 1111 1112 is late",            // 16 digits failing Luhn
        "Amazon order 112-4567890-1234567 shipped",
        "Delivered on 2024-03-15 at 10:30:45",
        "Invoice INV-2024-000123 dated 15.03.2024",
        "It arrived 03/15/2024, tracking 1Z999AA10123456784",
        "USPS tracking 9400 1000 0000 0000 0000 00",
        "FedEx 7749 1234 5678 says delivered",
        "IBAN DE89 3704 0044 0532 0130 01 looks wrong",  // checksum fails
        "Reference 000-12-3456 is not an SSN",
        "The app version 10.0.14 crashes, price $1,299.00",
        "We open 9:00-17:30, call center ext 1234",
        "Send 2 x size 42 shoes, total 89.90 EUR",
        "https://shop.example.com/products?page=2&sort=price",
        "Steps :: unpack, check, repack",                 // a bare "::" parses as an IPv6 address
        "Shift started 08:30:00 and ended 17:45:30",
    ];

    [TestCaseSource(nameof(Positives))]
    public void Redact_PersonalData_ReplacedByPlaceholderOfItsKind(string text, string value, string kind)
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact(text, map);
        Assert.That(redacted, Does.Not.Contain(value));
        Assert.That(redacted, Does.Contain($"[{kind}_1]"));
        Assert.That(map.Restore(redacted), Is.EqualTo(text));
    }

    [TestCaseSource(nameof(Negatives))]
    public void Redact_LookAlike_LeftUnchanged(string text)
    {
        var map = new RedactionMap();
        Assert.That(PiiRedactor.Redact(text, map), Is.EqualTo(text));
        Assert.That(map.Count, Is.Zero);
    }

    [Test]
    public void Redact_SameValueTwice_SamePlaceholderAndCountedOnce()
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact("From ann@example.com to bob@example.com, cc ANN@example.com", map);
        Assert.That(redacted, Is.EqualTo("From [EMAIL_1] to [EMAIL_2], cc [EMAIL_1]"));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 2 }));
    }

    [Test]
    public void Redact_OneMapAcrossTexts_KeepsPlaceholdersConsistent()
    {
        var map = new RedactionMap();
        var first = PiiRedactor.Redact("card 4111 1111 1111 1111", map);
        var second = PiiRedactor.Redact("again 4111-1111-1111-1111 and +1 415 555 0132", map);
        Assert.That(first, Is.EqualTo("card [CARD_1]"));
        Assert.That(second, Is.EqualTo("again [CARD_1] and [PHONE_1]"));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["card"] = 1, ["phone"] = 1 }));
    }

    [Test]
    public void WithoutPlaceholders_RemovesThemFromSearchText()
    {
        Assert.That(RedactionMap.WithoutPlaceholders("refund to [IBAN_1] for [EMAIL_12]").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "refund", "to", "for" }));
    }

    [TestCase("4111111111111111", true)]
    [TestCase("4111111111111112", false)]
    [TestCase("79927398713", true)]
    public void Luhn_KnownNumbers(string digits, bool valid) => Assert.That(Checksums.Luhn(digits), Is.EqualTo(valid));

    [TestCase("DE89370400440532013000", true)]
    [TestCase("DE89370400440532013001", false)]
    [TestCase("NL91ABNA0417164300", true)]
    public void IbanMod97_KnownNumbers(string iban, bool valid) => Assert.That(Checksums.IbanMod97(iban), Is.EqualTo(valid));

    [Test]
    public void Redact_KnownName_WholeWordsAnyCase_NotInsideOtherWords()
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact("Maria Lopez here. maria again; Lopezville is a town. MARIA.", map, ["Maria Lopez"]);
        Assert.That(redacted, Is.EqualTo("[NAME_1] here. [NAME_2] again; Lopezville is a town. [NAME_2]."));
        Assert.That(map.CountsByKind["name"], Is.EqualTo(2));
    }

    [Test]
    public void Redact_AddressesContainingKnownName_EachWholeAddressBecomesEmailPlaceholder()
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact(
            "Zorblax wibble flimflam. Reach me at ana.pereira@acmecorp.net or pereira.ana@acmecorp.net or ana@acmecorp.net thanks.", map, ["Ana Pereira"]);
        Assert.That(redacted, Is.EqualTo("Zorblax wibble flimflam. Reach me at [EMAIL_1] or [EMAIL_2] or [EMAIL_3] thanks."));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 3 }));
        Assert.That(map.Restore(redacted), Does.Contain("ana.pereira@acmecorp.net or pereira.ana@acmecorp.net or ana@acmecorp.net"));
    }

    [Test]
    public void Redact_AddressStartingWithKnownName_CountedAsEmailNotName()
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact("Write to ana.pereira@example.com", map, ["Ana Pereira"]);
        Assert.That(redacted, Is.EqualTo("Write to [EMAIL_1]"));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 1 }));
    }

    [Test]
    public void Redact_KnownNameInsideUrlOrPlaceholder_LeftWholeAndNameElsewhereRedacted()
    {
        var map = new RedactionMap();
        var redacted = PiiRedactor.Redact(
            "Email here: see https://crm.example.com/email/ana?token=abc123secret and mail email@example.com, then ask Ana.", map, ["Ana Email"]);
        Assert.That(redacted, Is.EqualTo("[NAME_1] here: see https://crm.example.com/email/ana?token=[SECRET_1] and mail [EMAIL_1], then ask [NAME_2]."));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 1, ["name"] = 2, ["secret"] = 1 }));
    }

    [Test]
    public void TicketRedactor_OneMapAcrossSubjectDescriptionAndComments()
    {
        var ticket = new HelpdeskSidecar.Helpdesks.HelpdeskTicket("zendesk", "1", "Refund for ann@example.com", "From Ann Lee, ann@example.com", "open", [], null, null, "9", "Ann Lee",
            null, [new HelpdeskSidecar.Helpdesks.HelpdeskComment("c1", "9", HelpdeskSidecar.Helpdesks.AuthorRole.EndUser, true, "Ann here, write to ann@example.com", DateTimeOffset.UnixEpoch)]);
        var (redacted, map) = TicketRedactor.Redact(ticket);
        Assert.That(redacted.Subject, Is.EqualTo("Refund for [EMAIL_1]"));
        Assert.That(redacted.Description, Is.EqualTo("From [NAME_1], [EMAIL_1]"));
        Assert.That(redacted.Comments[0].Body, Is.EqualTo("[NAME_2] here, write to [EMAIL_1]"));
        Assert.That(map.Restore(redacted.Comments[0].Body), Is.EqualTo("Ann here, write to ann@example.com"));
    }

    [Test]
    public void TicketRedactor_RequesterNameInsideAddress_NoFragmentOfAddressSurvives()
    {
        var ticket = new HelpdeskSidecar.Helpdesks.HelpdeskTicket("zendesk", "2", "Reach me", "Reach me at ana.pereira@acmecorp.net or pereira.ana@acmecorp.net or ana@acmecorp.net thanks.",
            "open", [], null, null, "9", "Ana Pereira", null, []);
        var (redacted, map) = TicketRedactor.Redact(ticket);
        Assert.That(redacted.Description, Is.EqualTo("Reach me at [EMAIL_1] or [EMAIL_2] or [EMAIL_3] thanks."));
        Assert.That(redacted.Description, Does.Not.Contain("pereira").IgnoreCase.And.Not.Contain("acmecorp"));
        Assert.That(map.CountsByKind, Is.EquivalentTo(new Dictionary<string, int> { ["email"] = 3 }));
    }
}

using System.Text;
using HelpdeskSidecar.Ingestion;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Ingestion;

/// <summary>The vectors of ../shared/contracts/zendesk/SIGNING-TEST-VECTORS.md, on byte-exact copies of their bodies.</summary>
public class ZendeskSignatureTests
{
    private const string TestSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";

    [TestCase("zendesk/signing_vector_1.json", 534, "10IqYzYTLHRftNsNE+im0DeOM6/JactIRuy0XCHJ9B8=")]
    [TestCase("zendesk/signing_vector_2.json", 174, "PlxjkFT3fSnU9NWSRjLHP86izLX68auazS1Xo8ZfiZE=")]
    public void Compute_PublishedVector_MatchesExpectedSignature(string fixture, int length, string expected)
    {
        var body = Fixtures.Bytes(fixture);
        Assert.That(body, Has.Length.EqualTo(length), "the fixture must be byte-exact");
        Assert.That(ZendeskSignature.Compute(TestSecret, "1234", body), Is.EqualTo(expected));
        Assert.That(ZendeskSignature.Verify([Encoding.UTF8.GetBytes(TestSecret)], "1234", body, expected), Is.True);
    }

    [Test]
    public void Verify_SignatureOverBodyThenTimestamp_IsRejected()
    {
        var body = Fixtures.Bytes("zendesk/signing_vector_1.json");
        Assert.That(ZendeskSignature.Verify([Encoding.UTF8.GetBytes(TestSecret)], "1234", body, "WHhU2hknfW1vFYDeyBej6fyUygiNG1bjwEGcrNjc2fc="), Is.False);
    }

    [Test]
    public void Verify_LegacyDocVector_OnlyTimestampThenBodyOrderIsAccepted()
    {
        var secret = Encoding.UTF8.GetBytes("HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=");
        var body = Encoding.UTF8.GetBytes("""{"say": "hello"}""");
        Assert.That(ZendeskSignature.Verify([secret], "2021-07-25T10:00:00Z", body, "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw="), Is.False);
        Assert.That(ZendeskSignature.Verify([secret], "2021-07-25T10:00:00Z", body, "Rry/4TtIdFyawtXXp8QdI6tlAUUQ/5kL1OTp5qo/ZIk="), Is.True);
    }

    [Test]
    public void Verify_SecretIsUsedVerbatimNotBase64Decoded()
    {
        var body = Fixtures.Bytes("zendesk/signing_vector_2.json");
        var decoded = Convert.FromBase64String(TestSecret);
        Assert.That(ZendeskSignature.Verify([decoded], "1234", body, "PlxjkFT3fSnU9NWSRjLHP86izLX68auazS1Xo8ZfiZE="), Is.False);
    }

    [Test]
    public void Verify_AnyOfSeveralSecrets_IsAccepted()
    {
        var body = Fixtures.Bytes("zendesk/signing_vector_2.json");
        byte[][] secrets = [Encoding.UTF8.GetBytes("old-secret"), Encoding.UTF8.GetBytes(TestSecret)];
        Assert.That(ZendeskSignature.Verify(secrets, "1234", body, "PlxjkFT3fSnU9NWSRjLHP86izLX68auazS1Xo8ZfiZE="), Is.True);
    }

    [TestCase("")]
    [TestCase("not base64!")]
    [TestCase("AAAA")]
    public void Verify_MalformedSignature_IsRejectedWithoutThrowing(string signature)
    {
        Assert.That(ZendeskSignature.Verify([Encoding.UTF8.GetBytes(TestSecret)], "1234", Fixtures.Bytes("zendesk/signing_vector_2.json"), signature), Is.False);
    }
}

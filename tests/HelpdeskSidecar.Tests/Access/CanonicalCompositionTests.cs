using HelpdeskSidecar.Access;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>NFC from the shipped table (the host runs with invariant globalization, where string.Normalize does not compose).</summary>
public class CanonicalCompositionTests
{
    [TestCase("zoe\u0308", "zo\u00eb")]
    [TestCase("a\u0302\u0323", "\u1ead")] // marks out of canonical order: dot below (220) before circumflex (230), then one composite
    [TestCase("\u1100\u1161\u11a8", "\uac01")] // Hangul jamo L V T
    [TestCase("\u212b", "\u00c5")] // a singleton (ANGSTROM SIGN) is never composed back
    [TestCase("e\u0301\u0301", "\u00e9\u0301")] // the second acute is blocked
    [TestCase("plain-ascii", "plain-ascii")]
    [TestCase("\u0308e", "\u0308e")] // a leading mark has nothing to join
    public void ToNfc_ComposesAsUnicodeSays(string input, string expected) =>
        Assert.That(CanonicalComposition.ToNfc(input), Is.EqualTo(expected));
}

using HelpdeskSidecar.Access;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>Sign-in names: Unicode letters and digits plus . _ @ -, in NFC, compared case-insensitively.</summary>
public class UserNamesTests
{
    [TestCase("zoë")]
    [TestCase("José.García")]
    [TestCase("Łukasz_99")]
    [TestCase("mária@acme")]
    [TestCase("小明")]
    [TestCase("ops-lead")]
    public void Parse_LettersDigitsAndAllowedPunctuation_Accepted(string name) =>
        Assert.That(UserNames.Parse(name), Is.EqualTo(name.Normalize()));

    [TestCase("has space")]
    [TestCase("tab\there")]
    [TestCase("nbsp\u00a0name")]
    [TestCase("line\nbreak")]
    [TestCase("bell\u0007")]
    [TestCase("semi;colon")]
    [TestCase("a/b")]
    [TestCase("quote'")]
    [TestCase("")]
    public void Parse_WhitespaceControlOrOtherPunctuation_Refused(string name) =>
        Assert.That(UserNames.Parse(name), Is.Null);

    [Test]
    public void Parse_LongerThan64_Refused() => Assert.That(UserNames.Parse(new string('a', 65)), Is.Null);

    [Test]
    public void Parse_DecomposedDiaeresis_NormalisedToNfc() =>
        Assert.That(UserNames.Parse("zoe\u0308"), Is.EqualTo("zo\u00eb"));

    [Test]
    public void Key_DiffersOnlyInCaseOrComposition_SameKey() =>
        Assert.That(UserNames.Key("ZOE\u0308"), Is.EqualTo(UserNames.Key("zoë")));
}

using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Tests.Knowledge.Embedded;

public class PorterStemmerTests
{
    [TestCase("connections", "connect")]
    [TestCase("connected", "connect")]
    [TestCase("relational", "relat")]
    [TestCase("generalizations", "gener")]
    [TestCase("caresses", "caress")]
    [TestCase("ponies", "poni")]
    [TestCase("hopping", "hop")]
    [TestCase("licence", "licenc")]
    [TestCase("license", "licens")]
    [TestCase("happy", "happi")]
    [TestCase("insurance", "insur")]
    [TestCase("b2b", "b2b")]
    public void Stem_KnownWords_StemAsPorter1980(string word, string stem) =>
        Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));
}

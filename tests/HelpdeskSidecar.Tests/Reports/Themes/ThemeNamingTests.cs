using HelpdeskSidecar.Reports.Themes;

namespace HelpdeskSidecar.Tests.Reports.Themes;

public class ThemeNamingTests
{
    [Test]
    public void Name_PicksTheWordsThatSetAClusterApart_NotTheOnesEveryClusterUses()
    {
        string[] texts =
        [
            "My refund for the order has not arrived on my account",
            "Where is the refund for my returned order? Account shows nothing",
            "Refund still missing from my account after the return",
            "I cannot reset the password of my account",
            "Password reset link expired, account locked",
            "Account password reset email never came",
        ];
        int[] labels = [0, 0, 0, 1, 1, 1];
        var names = ThemeNaming.Name(texts, labels);
        Assert.That(names[0][0], Is.EqualTo("refund"));
        Assert.That(names[1].Take(2), Is.EquivalentTo(new[] { "password", "reset" }));
        Assert.That(names.SelectMany(n => n), Does.Not.Contain("account"), "in every cluster: characteristic of none");
    }

    [Test]
    public void Name_IgnoresRedactionPlaceholdersNumbersAndStopWords()
    {
        string[] texts = ["Email [EMAIL_1] about order 12345 please", "Call me at [PHONE_1] about my order 12345 please"];
        var words = ThemeNaming.Name(texts, [0, 0], words: 10)[0];
        Assert.That(words, Does.Contain("order"));
        Assert.That(words, Has.None.Matches<string>(w => w.Any(char.IsDigit)));
        Assert.That(words, Has.None.EqualTo("phone_1").Or.EqualTo("please").Or.EqualTo("about"));
        Assert.That(words, Does.Not.Contain("phone"), "the placeholder's kind is not a word the customer wrote");
    }

    [Test]
    public void Label_JoinsWords_OrSaysThereAreNone()
    {
        Assert.That(ThemeNaming.Label(["parcel", "strike"]), Is.EqualTo("parcel · strike"));
        Assert.That(ThemeNaming.Label([]), Is.EqualTo("(no words)"));
    }
}

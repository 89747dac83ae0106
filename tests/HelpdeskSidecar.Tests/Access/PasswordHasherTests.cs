using HelpdeskSidecar.Access;

namespace HelpdeskSidecar.Tests.Access;

public class PasswordHasherTests
{
    [Test]
    public void Verify_RightPassword_True_WrongPassword_False()
    {
        var stored = PasswordHasher.Hash("correct horse battery");
        Assert.Multiple(() =>
        {
            Assert.That(PasswordHasher.Verify("correct horse battery", stored), Is.True);
            Assert.That(PasswordHasher.Verify("correct horse batterY", stored), Is.False);
            Assert.That(PasswordHasher.Verify("", stored), Is.False);
        });
    }

    [Test]
    public void Hash_SamePasswordTwice_DifferentSaltAndHash_NoCleartext()
    {
        var a = PasswordHasher.Hash("same password");
        var b = PasswordHasher.Hash("same password");
        var parts = a.Split('$');
        Assert.Multiple(() =>
        {
            Assert.That(a, Is.Not.EqualTo(b));
            Assert.That(a, Does.Not.Contain("same password"));
            Assert.That(parts[0], Is.EqualTo("pbkdf2-sha256"));
            Assert.That(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(100_000));
            Assert.That(Convert.FromBase64String(parts[2]), Has.Length.EqualTo(16));
        });
    }

    [TestCase("")]
    [TestCase("pbkdf2-sha256$1$$")]
    [TestCase("pbkdf2-sha256$abc$AAAA$AAAA")]
    [TestCase("md5$1000$AAAA$AAAA")]
    [TestCase("pbkdf2-sha256$1000$not base64!$AAAA")]
    public void Verify_MalformedStoredValue_False(string stored) =>
        Assert.That(PasswordHasher.Verify("anything", stored), Is.False);

    [TestCase(null, "empty")]
    [TestCase("", "empty")]
    [TestCase("short", "at least 8")]
    public void Check_TooShort_SaysWhy(string? password, string reason) =>
        Assert.That(PasswordHasher.Check(password), Does.Contain(reason));

    [Test]
    public void Check_LongEnough_Null() => Assert.That(PasswordHasher.Check("eight ch"), Is.Null);
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HelpdeskSidecar.Access;
using HelpdeskSidecar.Configuration;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Access;

/// <summary>The data-protection key ring (console cookies, antiforgery) encrypted at rest with a configured certificate.</summary>
public class KeyRingProtectionTests
{
    private static string CertificateFile(TempDirectory temp, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=sidecar key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddYears(1));
        var path = Path.Combine(temp.Path, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    [Test]
    public async Task Certificate_KeysEncryptedOnDisk_SessionsSurviveARestart()
    {
        using var temp = new TempDirectory();
        var dataDir = Path.Combine(temp.Path, "data");
        string[] settings = [$"Sidecar:DataDir={dataDir}", $"Sidecar:Access:KeyRing:CertificateFile={CertificateFile(temp, "pfx-pass")}", "Sidecar:Access:KeyRing:CertificatePassword=pfx-pass"];
        Cookie cookie;
        await using (var host = await SidecarTestHost.StartAsync(settings))
        {
            await host.Service<UserStore>().UpsertAsync("kim", Role.Manager, "kim-password", CancellationToken.None);
            using var session = new ConsoleSession(host.BaseAddress);
            using (var signIn = await session.SignInAsync("kim", "kim-password"))
                Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            cookie = session.Cookies.GetAllCookies().Single(c => c.Name == AccessExtensions.CookieName);
        }

        var keys = Directory.GetFiles(Path.Combine(dataDir, "keys"), "key-*.xml");
        Assert.That(keys, Is.Not.Empty);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.That(xml, Does.Contain("<encryptedSecret").And.Contain("EncryptedData"), "the key is encrypted");
            Assert.That(xml, Does.Not.Contain("<masterKey"), "no key material in the clear");
        }

        await using var again = await SidecarTestHost.StartAsync(settings);
        using var browser = new ConsoleSession(again.BaseAddress);
        browser.Cookies.Add(again.BaseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        using var reports = await browser.Client.GetAsync("/console/reports");
        Assert.That(reports.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the restarted host decrypts its key ring with the certificate");
    }

    [Test]
    public async Task NoCertificate_KeysInTheClear_ButTheDefaultWorks()
    {
        await using var host = await SidecarTestHost.StartAsync();
        using var session = new ConsoleSession(host.BaseAddress);
        using var login = await session.Client.GetAsync("/console/login");
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var xml = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(host.DataDir, "keys"), "key-*.xml").First());
        Assert.That(xml, Does.Contain("<masterKey"), "without a certificate the key file is protected by its mode only (see PrivateFilesTests)");
    }

    [TestCase("missing.pfx", null, "does not exist")]
    [TestCase("keyring.pfx", "wrong-pass", "cannot be read")]
    public void Certificate_Unusable_StartFailsNamingTheKey(string file, string? password, string expected)
    {
        using var temp = new TempDirectory();
        var real = CertificateFile(temp, "pfx-pass");
        var path = Path.Combine(temp.Path, file);
        var e = Assert.ThrowsAsync<SidecarConfigurationException>(async () =>
        {
            await using var host = await SidecarTestHost.StartAsync(
                [$"Sidecar:Access:KeyRing:CertificateFile={path}", .. password is null ? Array.Empty<string>() : [$"Sidecar:Access:KeyRing:CertificatePassword={password}"]]);
        });
        Assert.That(e!.Message, Does.Contain("Sidecar:Access:KeyRing:CertificateFile").And.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain("wrong-pass"), "the password is never repeated");
        Assert.That(real, Does.Exist);
    }
}

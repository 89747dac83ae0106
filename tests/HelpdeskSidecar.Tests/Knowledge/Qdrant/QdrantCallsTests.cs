using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using HelpdeskSidecar.Knowledge.Qdrant;
using HelpdeskSidecar.Tests.TestSupport;
using Polly.Timeout;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>The channel under Qdrant.Client: TLS for an https URL, a timeout per attempt, errors as <see cref="QdrantException"/>.</summary>
[TestFixture]
public sealed class QdrantCallsTests
{
    private static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    [Test]
    public async Task RunAsync_HttpsUrlWithTrustedCertificate_CallsOverTls()
    {
        using var certificate = SelfSigned();
        await using var fake = await FakeQdrant.StartAsync("tls-key", certificate);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var calls = new QdrantCalls(new QdrantOptions { Url = fake.BaseUrl, ApiKey = "tls-key" }, TimeProvider.System, handler);

        var exists = await calls.RunAsync((client, ct) => client.CollectionExistsAsync("kb", ct), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(fake.BaseUrl, Does.StartWith("https://"));
            Assert.That(exists, Is.False);
            Assert.That(fake.Calls.Select(c => (c.Method, c.ApiKey, c.Status)), Is.EqualTo(new[] { ("Collections/CollectionExists", "tls-key", StatusCode.OK) }));
        });
    }

    [Test]
    public async Task RunAsync_HttpsUrlWithUntrustedCertificate_RefusedBeforeAnyCall()
    {
        using var certificate = SelfSigned();
        await using var fake = await FakeQdrant.StartAsync("tls-key", certificate);
        using var calls = new QdrantCalls(new QdrantOptions { Url = fake.BaseUrl, ApiKey = "tls-key" }, TimeProvider.System);

        var error = Assert.ThrowsAsync<QdrantException>(() => calls.RunAsync((client, ct) => client.CollectionExistsAsync("kb", ct), CancellationToken.None));

        // Grpc.Net.Client reports a failed TLS handshake as INTERNAL: a 5xx to retrieval, which falls back as for an outage.
        Assert.Multiple(() =>
        {
            Assert.That(error!.GrpcStatus, Is.EqualTo(StatusCode.Internal));
            Assert.That(error.Message, Does.Contain("SSL"), "the certificate is checked, not waved through");
            Assert.That(fake.Calls, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_AttemptSlowerThanTimeout_TimesOutWithoutRetrying()
    {
        await using var fake = await FakeQdrant.StartAsync();
        using var calls = new QdrantCalls(new QdrantOptions { Url = fake.BaseUrl, Timeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
        fake.DelayNext(TimeSpan.FromMinutes(1));

        // Only the first attempt is delayed: a retry would have been answered at once, and nothing would be thrown.
        Assert.ThrowsAsync<TimeoutRejectedException>(() => calls.RunAsync((client, ct) => client.CollectionExistsAsync("kb", ct), CancellationToken.None));
        var next = await calls.RunAsync((client, ct) => client.CollectionExistsAsync("kb", ct), CancellationToken.None);

        Assert.That(next, Is.False, "the channel still serves after a timed-out attempt");
    }
}

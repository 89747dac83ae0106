using System.Security.Cryptography;

namespace HelpdeskSidecar.Tests.Contracts;

public sealed class RecordedContractsTests
{
    [Test]
    public void OpenAiSpec_CopiedIntoTheTestOutput_IsTheRecordedFileWithItsLicence()
    {
        var spec = RecordedContracts.OpenAiSpec;

        Assert.Multiple(() =>
        {
            Assert.That(spec, Does.StartWith(AppContext.BaseDirectory), "read from the test output, not ../shared");
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(spec))),
                Is.EqualTo("db5d7478feae10b4d331834c60d9765a8aa042e38419f9b1694288c11aa8ebc8"), "byte for byte as recorded (SOURCES.md)");
            Assert.That(File.ReadAllText(RecordedContracts.PathOf("openai/LICENSE")), Does.Contain("Copyright (c) OpenAI"));
        });
    }

    [Test]
    public void PathOf_FileNotCopied_ThrowsNamingIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => RecordedContracts.PathOf("zendesk/oas/support-oas.yaml"));

        Assert.That(error!.Message, Does.Contain("zendesk/oas/support-oas.yaml"));
    }
}

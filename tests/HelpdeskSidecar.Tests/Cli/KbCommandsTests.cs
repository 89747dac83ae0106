using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Cli;

/// <summary><c>kb import</c> through the real command line: what it accepts and what it prints about skipped files.</summary>
[NonParallelizable] // redirects Console
public class KbCommandsTests
{
    [Test]
    public async Task KbImport_OneFile_ImportsIt()
    {
        using var temp = new TempDirectory();
        var file = temp.File("kb/refund-policy.md", "# Refund policy\n\nRefunds reach your card within five days.\n");

        var (code, output, error) = await CliRunner.RunAsync("kb", "import", file, $"--Sidecar:DataDir={Path.Combine(temp.Path, "data")}");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("1 added, 0 updated, 0 unchanged, 0 skipped"));
    }

    [Test]
    public async Task KbImport_FileOfAnotherKind_Exits2SayingItIsAFile()
    {
        using var temp = new TempDirectory();
        var file = temp.File("kb/manual.pdf", "%PDF-1.7");

        var (code, _, error) = await CliRunner.RunAsync("kb", "import", file, $"--Sidecar:DataDir={Path.Combine(temp.Path, "data")}");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.Contain("is a file but not a Markdown, HTML or text file").And.Not.Contain("does not exist").And.Not.Contain("\n"));
    }

    [Test]
    public async Task KbImport_UnreadableFiles_Exit0AndEachSkippedFileNamedWithItsReason()
    {
        using var temp = new TempDirectory();
        temp.File("kb/faq.md", "# Shipping to Mars\n\nRockets leave every second Tuesday.\n");
        temp.File("kb/empty.md", "");
        File.CreateSymbolicLink(Path.Combine(temp.Path, "kb", "dangling.md"), "/nonexistent/dangling.md");
        File.WriteAllBytes(Path.Combine(temp.Path, "kb", "binary.md"), [0x00, 0xFF, 0xFE, 0x81, 0x00, 0xC3]);

        var (code, output, error) = await CliRunner.RunAsync("kb", "import", Path.Combine(temp.Path, "kb"), $"--Sidecar:DataDir={Path.Combine(temp.Path, "data")}");

        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("1 added, 0 updated, 0 unchanged, 3 skipped"));
        Assert.That(output, Does.Contain("  skipped binary.md (not UTF-8 text"));
        Assert.That(output, Does.Contain("  skipped dangling.md (cannot be read: it links to '/nonexistent/dangling.md', which does not exist)"));
        Assert.That(output, Does.Contain("  skipped empty.md (empty file)"));
    }
}

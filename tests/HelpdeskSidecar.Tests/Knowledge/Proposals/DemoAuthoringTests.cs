using System.Text.RegularExpressions;
using HelpdeskSidecar.Cli;
using HelpdeskSidecar.Tests.TestSupport;

namespace HelpdeskSidecar.Tests.Knowledge.Proposals;

/// <summary>The demo (a real process on the samples) shows knowledge authoring: proposals from the solved gap tickets, one draft article however often it is published.</summary>
public class DemoAuthoringTests
{
    [Test]
    public async Task Demo_SolvedGapTicketsBecomeProposals_PublishingTwiceWritesOneDraft()
    {
        using var dir = new TempDirectory();

        var result = await CliProcess.RunAsync(dir.Path, TimeSpan.FromMinutes(4), "demo", "--no-serve", "--samples", Samples.Root);

        Assert.That(result.Code, Is.EqualTo(SidecarCli.Ok), result.Out + result.Error);
        var summary = Regex.Match(result.Out, @"Knowledge authoring: (\d+) knowledge-gap tickets solved → (\d+) article proposals");
        Assert.That(summary.Success, Is.True, result.Out);
        Assert.That(int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2), "the samples' off-topic tickets are gaps");
        Assert.That(int.Parse(summary.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
        Assert.That(result.Out, Does.Contain("Courier job application - Porto").And.Contain("Press enquiry: electric van fleet"));
        Assert.That(result.Out, Does.Match(@"Published as draft article (\d+)\. Publishing again: Already published as draft article \1\. Draft articles in the replay help center: 1\."));
    }
}

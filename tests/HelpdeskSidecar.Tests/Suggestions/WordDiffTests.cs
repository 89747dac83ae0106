using HelpdeskSidecar.Suggestions;

namespace HelpdeskSidecar.Tests.Suggestions;

public class WordDiffTests
{
    private static List<(DiffOp, string)> Diff(string a, string b) =>
        WordDiff.Of(a, b).Select(s => (s.Op, string.Join(' ', s.Words))).ToList();

    [Test]
    public void Of_OneWordChanged_DeletionThenInsertionBetweenTheSameWords()
    {
        Assert.That(Diff("Refunds take 5 days to arrive.", "Refunds take 7 days to arrive."), Is.EqualTo(new List<(DiffOp, string)>
        {
            (DiffOp.Same, "Refunds take"), (DiffOp.Deleted, "5"), (DiffOp.Inserted, "7"), (DiffOp.Same, "days to arrive."),
        }));
    }

    [Test]
    public void Of_SentenceAddedAndOneRemoved_EachMarkedOnce()
    {
        Assert.That(Diff("Hello. Refunds take 5 days. Thanks.", "Refunds take 5 days. Your order shipped. Thanks."), Is.EqualTo(new List<(DiffOp, string)>
        {
            (DiffOp.Deleted, "Hello."), (DiffOp.Same, "Refunds take 5 days."), (DiffOp.Inserted, "Your order shipped."), (DiffOp.Same, "Thanks."),
        }));
    }

    [Test]
    public void Of_Identical_OneSameSegment_LineBreaksKeptAsWords()
    {
        Assert.That(Diff("One two\nthree", "One two\nthree"), Is.EqualTo(new List<(DiffOp, string)> { (DiffOp.Same, "One two \n three") }));
    }

    [Test]
    public void Of_EmptyReply_EverythingDeleted()
    {
        Assert.That(Diff("a b", ""), Is.EqualTo(new List<(DiffOp, string)> { (DiffOp.Deleted, "a b") }));
    }

    [Test]
    public void Of_TooLongToAlign_WholeDraftDeletedWholeReplyInserted()
    {
        var draft = string.Join(' ', Enumerable.Range(0, WordDiff.MaxWords + 1).Select(i => $"w{i}"));
        var segments = WordDiff.Of(draft, "w0 w1");
        Assert.That(segments.Select(s => (s.Op, s.Words.Count)), Is.EqualTo(new[] { (DiffOp.Deleted, WordDiff.MaxWords + 1), (DiffOp.Inserted, 2) }));
    }
}

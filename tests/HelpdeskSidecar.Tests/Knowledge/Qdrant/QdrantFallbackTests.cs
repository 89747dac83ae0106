using Grpc.Core;
using HelpdeskSidecar.Knowledge;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>With Index=Qdrant, an unreachable or failing Qdrant degrades retrieval to the embedded index instead of failing the pipeline.</summary>
[TestFixture]
public sealed class QdrantFallbackTests
{
    private static async Task AddKnowledgeAsync(QdrantTestBed bed)
    {
        await bed.AddAsync("refunds", "A refund reaches your card within five days of the return.");
        await bed.AddAsync("hours", "We are open on weekdays from nine to five.");
        await bed.AddAsync("internal", "Refund override codes are in the vault.", visibility: KnowledgeVisibility.Agents);
    }

    [Test]
    public async Task RetrieveAsync_QdrantStopped_AnswersFromEmbeddedIndexAndSaysSo()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await AddKnowledgeAsync(bed);
        var healthy = await bed.Index.RetrieveAsync(new RetrievalRequest("refund card", 2), CancellationToken.None);
        Assert.That(healthy[0].Reason, Does.Contain("in Qdrant"), "while Qdrant is up it answers");

        await bed.Fake.StopAsync();
        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("refund card", 2), CancellationToken.None);

        Assert.That(passages.Select(p => p.Hit.Title).First(), Is.EqualTo("refunds"));
        Assert.That(passages.Select(p => p.Hit.Title), Has.None.EqualTo("internal"), "the policy filter still applies on the fallback");
        Assert.That(passages.Select(p => p.Reason), Has.All.Contains("Qdrant unavailable, embedded index used"));
    }

    [Test]
    public async Task RetrieveAsync_QdrantAnswersUnavailable_AnswersFromEmbeddedIndex()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await AddKnowledgeAsync(bed);
        bed.Fake.FailNext(StatusCode.Unavailable, "Service unavailable", times: 10);

        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("refund card", 2), CancellationToken.None);

        Assert.That(passages, Is.Not.Empty);
        Assert.That(passages[0].Hit.Title, Is.EqualTo("refunds"));
        Assert.That(passages[0].Reason, Does.Contain("Qdrant unavailable"));
    }

    [Test]
    public async Task RetrieveAsync_QdrantSlowerThanAttemptTimeout_AnswersFromEmbeddedIndex()
    {
        await using var bed = await QdrantTestBed.StartAsync(timeout: TimeSpan.FromMilliseconds(300));
        await AddKnowledgeAsync(bed);
        bed.Fake.DelayNext(TimeSpan.FromMinutes(1), times: 10);

        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("refund card", 2), CancellationToken.None);

        Assert.That(passages, Is.Not.Empty);
        Assert.That(passages[0].Hit.Title, Is.EqualTo("refunds"));
        Assert.That(passages[0].Reason, Does.Contain("Qdrant unavailable"));
    }

    [Test]
    public async Task RetrieveAsync_QdrantRejectsRequestInvalidArgument_ErrorIsNotHidden()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await AddKnowledgeAsync(bed);
        bed.Fake.FailNext(StatusCode.InvalidArgument, "Wrong input: bad request", times: 10);

        // A request Qdrant calls wrong is a bug to see, not an outage to paper over.
        Assert.ThrowsAsync<HelpdeskSidecar.Knowledge.Qdrant.QdrantException>(
            () => bed.Index.RetrieveAsync(new RetrievalRequest("refund card", 2), CancellationToken.None));
    }
}

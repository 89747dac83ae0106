using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Behaviour of the Qdrant backend against the loopback fake; runs without the shared contracts.</summary>
[TestFixture]
public sealed class QdrantVectorIndexTests
{
    private static ArticleSection[] Sections(string id, int count) =>
        Enumerable.Range(1, count).Select(i => new ArticleSection($"{id} › Part {i}", $"Part {i} of {id}: step {i} explains topic{i} and detail{i * 7} thoroughly.")).ToArray();

    [Test]
    public async Task UpsertAsync_FirstArticle_CreatesCollectionWithNamedDenseAndSparseVectorsAndPayloadIndexes()
    {
        await using var bed = await QdrantTestBed.StartAsync(collection: "kb_create");
        await bed.AddAsync("refunds", "Refunds are paid within 14 days of the return.");

        Assert.That(bed.Fake.Collections.ContainsKey("kb_create"), Is.True);
        var collection = bed.Fake.Collections["kb_create"];
        var dimensions = (await new OfflineEmbeddingGenerator().GenerateAsync(["refund"]))[0].Vector.Length;
        Assert.Multiple(() =>
        {
            Assert.That((int?)collection.Config["vectors"]?["dense"]?["size"], Is.EqualTo(dimensions));
            Assert.That((string?)collection.Config["vectors"]?["dense"]?["distance"], Is.EqualTo("Cosine"));
            Assert.That((string?)collection.Config["sparse_vectors"]?["sparse"]?["modifier"], Is.EqualTo("idf"));
            Assert.That(collection.PayloadIndexes.Keys, Is.EquivalentTo(new[] { "tier", "locale", "brand", "visibility", "source", "article_id" }));
            Assert.That(collection.PayloadIndexes["article_id"], Is.EqualTo("\"integer\""));
            Assert.That(bed.Fake.RequestsTo("PUT", "/collections/kb_create/index").All(r => r.PathAndQuery.EndsWith("?wait=true", StringComparison.Ordinal)), Is.True);
            Assert.That(bed.Fake.Requests.Select(r => r.ApiKey), Is.All.EqualTo(QdrantTestBed.ApiKey));
        });
    }

    [Test]
    public async Task UpsertAsync_MoreChunksThanBatchSize_SendsWaitedBatchesHoldingEveryChunk()
    {
        await using var bed = await QdrantTestBed.StartAsync(batchSize: 3);
        await bed.AddAsync("guide", "Overview of the setup guide.", more: Sections("guide", 9));

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        var upserts = bed.Fake.RequestsTo("PUT", "/collections/kb_test/points");
        var sizes = upserts.Select(u => JsonNode.Parse(u.Body!)!["points"]!.AsArray().Count).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(chunks, Is.GreaterThan(3), "the article must span several batches for this test to mean anything");
            Assert.That(upserts, Has.Count.EqualTo((int)Math.Ceiling(chunks / 3.0)));
            Assert.That(sizes, Has.All.LessThanOrEqualTo(3));
            Assert.That(sizes.Sum(), Is.EqualTo(chunks));
            Assert.That(upserts.Select(u => u.PathAndQuery), Has.All.EndsWith("?wait=true"));
            Assert.That(bed.Fake.Collections["kb_test"].Points, Has.Count.EqualTo(chunks));
        });
        var point = JsonNode.Parse(upserts[0].Body!)!["points"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(point["vector"]?["dense"]?.AsArray().Count, Is.GreaterThan(0));
            Assert.That(point["vector"]?["sparse"]?["indices"]?.AsArray().Count, Is.EqualTo(point["vector"]?["sparse"]?["values"]?.AsArray().Count).And.GreaterThan(0));
            Assert.That((string?)point["payload"]?["tier"], Is.EqualTo("article"));
            Assert.That((string?)point["payload"]?["visibility"], Is.EqualTo("public"));
            Assert.That((string?)point["payload"]?["source"], Is.EqualTo("files"));
        });
    }

    [Test]
    public async Task RetrieveAsync_BrandAndVisibilityScope_ReturnsKPassagesOnlyFromAllowedChunks()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            await bed.AddAsync($"acme-warranty-{i}", $"Acme warranty claim number {i}: send the warranty form within {i + 10} days.", brand: "acme");
            await bed.AddAsync($"globex-warranty-{i}", $"Globex warranty claim number {i}: send the warranty form within {i + 10} days.", brand: "globex");
            await bed.AddAsync($"internal-warranty-{i}", $"Internal warranty override {i}: agents may extend the warranty form deadline.", brand: "acme", visibility: KnowledgeVisibility.Agents);
        }
        await bed.AddAsync("shared-warranty", "Every brand: the warranty form is on the help site.");

        var passages = await bed.Index.RetrieveAsync(new RetrievalRequest("warranty form claim", 4) { Scope = new RetrievalScope { Brand = "acme" } }, CancellationToken.None);

        Assert.That(passages, Has.Count.EqualTo(4));
        Assert.Multiple(() =>
        {
            Assert.That(passages.Select(p => p.Brand), Has.All.Null.Or.EqualTo("acme"));
            Assert.That(passages.Select(p => p.Visibility), Has.All.EqualTo(KnowledgeVisibility.Public));
            Assert.That(passages.Select(p => p.Hit.Text), Has.All.Contains("warranty"));
            Assert.That(passages.Select(p => p.Reason), Has.All.Contains("Qdrant"));
        });
        var query = JsonNode.Parse(bed.Fake.RequestsTo("POST", "/collections/kb_test/points/query").Last().Body!)!;
        Assert.Multiple(() =>
        {
            Assert.That(query["prefetch"]!.AsArray().Select(p => (string?)p!["using"]), Is.EquivalentTo(new[] { "dense", "sparse" }));
            Assert.That((string?)query["query"]?["fusion"], Is.EqualTo("rrf"));
            Assert.That((int?)query["limit"], Is.EqualTo(4));
            Assert.That(query["filter"]?.ToJsonString(), Does.Contain("\"brand\"").And.Contain("\"visibility\"").And.Contain("\"tier\"").And.Contain("\"locale\""));
        });
    }

    [Test]
    public async Task RetrieveAsync_AgentsScope_CanReachAgentsOnlyChunks()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("override", "Refund override code for agents: use code R-77.", visibility: KnowledgeVisibility.Agents);
        await bed.AddAsync("public-refund", "Refunds take five days.");

        var publicOnly = await bed.Index.RetrieveAsync(new RetrievalRequest("refund override code", 5), CancellationToken.None);
        var agents = await bed.Index.RetrieveAsync(new RetrievalRequest("refund override code", 5) { Scope = new RetrievalScope { Visibility = KnowledgeVisibility.Agents } }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(publicOnly.Select(p => p.Hit.Title), Does.Not.Contain("override"));
            Assert.That(agents.Select(p => p.Hit.Title), Does.Contain("override"));
        });
    }

    [Test]
    public async Task UpsertAsync_ChangedArticle_DeletesItsOldPointsByFilterBeforeWritingNewOnes()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("shipping", "Shipping takes three days.", more: Sections("shipping", 4));
        await bed.AddAsync("returns", "Returns are free.");
        var before = bed.Fake.Collections["kb_test"].Points.Count;

        await bed.AddAsync("shipping", "Shipping now takes two days.");

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        var deletes = bed.Fake.RequestsTo("POST", "/collections/kb_test/points/delete");
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.GreaterThan(chunks), "the update must shrink the article for this test to mean anything");
            Assert.That(bed.Fake.Collections["kb_test"].Points, Has.Count.EqualTo(chunks));
            Assert.That(deletes.Last().PathAndQuery, Does.EndWith("?wait=true"));
            Assert.That(deletes.Last().Body, Does.Contain("\"article_id\""));
        });
    }

    [Test]
    public async Task RemoveExternalAsync_Article_DeletesOnlyThatArticlesPoints()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("keep", "Keep this article about invoices.");
        await bed.AddAsync("drop", "Drop this article about parcels.", more: Sections("drop", 2));
        var points = bed.Fake.Collections["kb_test"].Points;
        var dropId = points.Values.Max(p => p.Payload["article_id"]!.GetValue<long>()); // added last, so the highest id
        var keepCount = points.Count(p => p.Value.Payload["article_id"]!.GetValue<long>() != dropId);

        await bed.Index.RemoveExternalAsync(dropId, CancellationToken.None);

        Assert.That(points.Values.Select(p => p.Payload["article_id"]!.GetValue<long>()), Has.None.EqualTo(dropId));
        Assert.That(points, Has.Count.EqualTo(keepCount).And.Count.GreaterThan(0));
    }
}

/// <summary>Failures: Qdrant's own error surfaces (never the key), and a 503 with Retry-After is retried by the resilience handler.</summary>
[TestFixture]
public sealed class QdrantFailureTests
{
    [Test]
    public async Task UpsertAsync_QdrantRejects_ThrowsWithQdrantsErrorAndNoApiKey()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("first", "Refunds take five days.");
        bed.Fake.FailNext(400, "Wrong input: Vector dimension error: expected dim: 384, got 12");

        var error = Assert.ThrowsAsync<HelpdeskSidecar.Knowledge.Qdrant.QdrantException>(() => bed.AddAsync("second", "Parcels ship daily."));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Status, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
            Assert.That(error.Message, Does.Contain("Vector dimension error"));
            Assert.That(error.Message, Does.Not.Contain(QdrantTestBed.ApiKey));
        });
    }

    [Test]
    public async Task UpsertAsync_Qdrant503WithRetryAfter_IsRetriedAndSucceeds()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("first", "Refunds take five days.");
        var before = bed.Fake.Requests.Count;
        bed.Fake.FailNext(503, "Service unavailable: overloaded", retryAfter: "0");

        await bed.AddAsync("second", "Parcels ship daily.");

        Assert.Multiple(() =>
        {
            Assert.That(bed.Fake.Collections["kb_test"].Points, Has.Count.EqualTo(2));
            Assert.That(bed.Fake.Requests.Skip(before).Count(r => r.Body is null && r.Method == "POST"), Is.EqualTo(1), "one failed attempt was recorded");
        });
    }
}

[TestFixture]
public sealed class QdrantRestartTests
{
    [Test]
    public async Task RetrieveAsync_FreshProcessAfterRefit_SendsTheSameDenseQueryAsTheProcessThatFitted()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("refunds", "Refunds are paid within 14 days of the return.");
        await bed.AddAsync("shipping", "Parcels ship from the warehouse every weekday.");
        await bed.AddAsync("passwords", "Reset your password from the sign-in page.");
        await bed.Index.RefitEmbeddingsAsync(CancellationToken.None);
        var request = new RetrievalRequest("when will my refund be paid", 2) { Mode = RetrievalMode.Dense };

        await bed.Index.RetrieveAsync(request, CancellationToken.None);
        await bed.Reopen().RetrieveAsync(request, CancellationToken.None);

        var queries = bed.Fake.RequestsTo("POST", "/collections/kb_test/points/query")
            .Select(r => JsonNode.Parse(r.Body!)!["prefetch"]!.AsArray().Single(p => (string?)p!["using"] == "dense")!["query"]!.ToJsonString()).ToList();
        Assert.That(queries, Has.Count.EqualTo(2));
        Assert.That(queries[1], Is.EqualTo(queries[0]), "the restarted index must embed the query with the saved (fitted) weights");
    }
}

[TestFixture]
public sealed class QdrantRefitTests
{
    [Test]
    public async Task RefitEmbeddingsAsync_UpsertsEveryChunkInBatchesWithoutDeleting()
    {
        await using var bed = await QdrantTestBed.StartAsync(batchSize: 4);
        await bed.AddAsync("refunds", "Refunds are paid within 14 days.", more: [new ArticleSection("refunds › Cards", "Card refunds take five days.")]);
        await bed.AddAsync("shipping", "Parcels ship every weekday.", more: [new ArticleSection("shipping › Abroad", "International parcels take a week."), new ArticleSection("shipping › Costs", "Shipping is free above 50 euros.")]);
        var deletesBefore = bed.Fake.RequestsTo("POST", "/collections/kb_test/points/delete").Count;
        var upsertsBefore = bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Count;
        var vectorsBefore = bed.Fake.Collections["kb_test"].Points.ToDictionary(p => p.Key, p => p.Value.Vector["dense"]!.ToJsonString());

        var refitted = await bed.Index.RefitEmbeddingsAsync(CancellationToken.None);

        var upserts = bed.Fake.RequestsTo("PUT", "/collections/kb_test/points").Skip(upsertsBefore).ToList();
        var points = bed.Fake.Collections["kb_test"].Points;
        Assert.Multiple(() =>
        {
            Assert.That(bed.Fake.RequestsTo("POST", "/collections/kb_test/points/delete"), Has.Count.EqualTo(deletesBefore));
            Assert.That(upserts.Sum(u => JsonNode.Parse(u.Body!)!["points"]!.AsArray().Count), Is.EqualTo(refitted));
            Assert.That(upserts, Has.Count.EqualTo((int)Math.Ceiling(refitted / 4.0)));
            Assert.That(points, Has.Count.EqualTo(refitted));
            Assert.That(points.Count(p => p.Value.Vector["dense"]!.ToJsonString() != vectorsBefore[p.Key]), Is.GreaterThan(0), "the refit changed vectors and they reached Qdrant");
        });
    }
}

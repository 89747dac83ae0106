using Grpc.Core;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Knowledge.Embedded;
using HelpdeskSidecar.Knowledge.Qdrant;
using Qdrant.Client.Grpc;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>Behaviour of the Qdrant backend, through Qdrant.Client, against the loopback gRPC fake.</summary>
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
            Assert.That(collection.DenseVectors.Keys, Is.EqualTo(new[] { "dense" }));
            Assert.That(collection.DenseVectors["dense"].Size, Is.EqualTo((ulong)dimensions));
            Assert.That(collection.DenseVectors["dense"].Distance, Is.EqualTo(Distance.Cosine));
            Assert.That(collection.SparseVectors.Keys, Is.EqualTo(new[] { "sparse" }));
            Assert.That(collection.SparseVectors["sparse"].Modifier, Is.EqualTo(Modifier.Idf));
            Assert.That(collection.PayloadIndexes.Keys, Is.EquivalentTo(new[] { "tier", "locale", "brand", "visibility", "source", "article_id" }));
            Assert.That(collection.PayloadIndexes["article_id"], Is.EqualTo(FieldType.Integer));
            Assert.That(collection.PayloadIndexes["brand"], Is.EqualTo(FieldType.Keyword));
            Assert.That(bed.Fake.RequestsTo<CreateFieldIndexCollection>("Points/CreateFieldIndex").Select(r => r.Wait), Is.All.True);
            Assert.That(bed.Fake.Calls.Select(c => c.ApiKey), Is.All.EqualTo(QdrantTestBed.ApiKey));
        });
    }

    [Test]
    public async Task UpsertAsync_MoreChunksThanBatchSize_SendsWaitedBatchesHoldingEveryChunk()
    {
        await using var bed = await QdrantTestBed.StartAsync(batchSize: 3);
        await bed.AddAsync("guide", "Overview of the setup guide.", more: Sections("guide", 9));

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        var upserts = bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert");
        var sizes = upserts.Select(u => u.Points.Count).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(chunks, Is.GreaterThan(3), "the article must span several batches for this test to mean anything");
            Assert.That(upserts, Has.Count.EqualTo((int)Math.Ceiling(chunks / 3.0)));
            Assert.That(sizes, Has.All.LessThanOrEqualTo(3));
            Assert.That(sizes.Sum(), Is.EqualTo(chunks));
            Assert.That(upserts.Select(u => u.Wait), Has.All.True);
            Assert.That(bed.Collection.Points, Has.Count.EqualTo(chunks));
        });
        var point = upserts[0].Points[0];
        var vectors = point.Vectors.Vectors_.Vectors;
        Assert.Multiple(() =>
        {
            Assert.That(vectors["dense"].Dense.Data, Is.Not.Empty);
            Assert.That(vectors["sparse"].Sparse.Indices, Has.Count.EqualTo(vectors["sparse"].Sparse.Values.Count).And.Count.GreaterThan(0));
            Assert.That(point.Payload["tier"].StringValue, Is.EqualTo("article"));
            Assert.That(point.Payload["visibility"].StringValue, Is.EqualTo("public"));
            Assert.That(point.Payload["source"].StringValue, Is.EqualTo("files"));
            Assert.That(point.Payload["article_id"].KindCase, Is.EqualTo(Value.KindOneofCase.IntegerValue), "an integer, as its payload index");
        });
    }

    [Test]
    public async Task RetrieveAsync_BrandIdAndName_FiltersOnEitherInQdrant()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("by-id", "Acme warranty lasts two years.", brand: "360002256672");
        await bed.AddAsync("by-name", "Acme warranty claims need the serial number.", brand: "Acme");
        await bed.AddAsync("globex", "Globex warranty lasts one year.", brand: "globex");
        await bed.AddAsync("shared", "Every warranty claim needs the receipt.");

        var passages = await bed.Index.RetrieveAsync(
            new RetrievalRequest("warranty", 5) { Scope = new RetrievalScope { Brand = "360002256672", BrandName = "Acme" } }, CancellationToken.None);

        Assert.That(passages.Select(p => p.Hit.Title), Is.EquivalentTo(new[] { "by-id", "by-name", "shared" }));
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
        var query = bed.Fake.RequestsTo<QueryPoints>("Points/Query")[^1];
        Assert.Multiple(() =>
        {
            Assert.That(query.Prefetch.Select(p => p.Using), Is.EquivalentTo(new[] { "dense", "sparse" }));
            Assert.That(query.Prefetch.Select(p => p.Filter), Has.All.EqualTo(query.Filter), "each prefetch searches under the scope's filter");
            Assert.That(query.Query.Fusion, Is.EqualTo(Fusion.Rrf));
            Assert.That(query.Limit, Is.EqualTo(4));
            Assert.That(query.WithPayload.Enable, Is.False);
            Assert.That(query.Filter.ToString(), Does.Contain("\"brand\"").And.Contain("\"visibility\"").And.Contain("\"tier\"").And.Contain("\"locale\""));
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
        var before = bed.Collection.Points.Count;

        await bed.AddAsync("shipping", "Shipping now takes two days.");

        var (_, chunks) = await bed.Index.CountAsync(CancellationToken.None);
        var deletes = bed.Fake.RequestsTo<DeletePoints>("Points/Delete");
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.GreaterThan(chunks), "the update must shrink the article for this test to mean anything");
            Assert.That(bed.Collection.Points, Has.Count.EqualTo(chunks));
            Assert.That(deletes[^1].Wait, Is.True);
            Assert.That(deletes[^1].Points.Filter.Must.Single().Field.Key, Is.EqualTo("article_id"));
        });
    }

    [Test]
    public async Task RemoveExternalAsync_Article_DeletesOnlyThatArticlesPoints()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("keep", "Keep this article about invoices.");
        await bed.AddAsync("drop", "Drop this article about parcels.", more: Sections("drop", 2));
        var points = bed.Collection.Points;
        var dropId = points.Values.Max(p => p.Payload["article_id"].IntegerValue); // added last, so the highest id
        var keepCount = points.Count(p => p.Value.Payload["article_id"].IntegerValue != dropId);

        await bed.Index.RemoveExternalAsync(dropId, CancellationToken.None);

        Assert.That(points.Values.Select(p => p.Payload["article_id"].IntegerValue), Has.None.EqualTo(dropId));
        Assert.That(points, Has.Count.EqualTo(keepCount).And.Count.GreaterThan(0));
    }
}

/// <summary>Failures: Qdrant's own error surfaces (never the key), and UNAVAILABLE is retried by the resilience pipeline.</summary>
[TestFixture]
public sealed class QdrantFailureTests
{
    [Test]
    public async Task UpsertAsync_QdrantRejects_ThrowsWithQdrantsErrorAndNoApiKey()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("first", "Refunds take five days.");
        bed.Fake.FailNext(StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 384, got 12");

        var error = Assert.ThrowsAsync<QdrantException>(() => bed.AddAsync("second", "Parcels ship daily."));

        Assert.Multiple(() =>
        {
            Assert.That(error!.GrpcStatus, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Status, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
            Assert.That(error.Message, Does.Contain("Vector dimension error"));
            Assert.That(error.Message, Does.Not.Contain(QdrantTestBed.ApiKey));
        });
    }

    [Test]
    public async Task UpsertAsync_VectorOfAnotherDimension_QdrantRefusesAndNothingIsWritten()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("first", "Refunds take five days.");
        var chunk = new ExternalChunk(999, 999, "Odd", "Odd", "A vector of three numbers.", [0.1f, 0.2f, 0.3f], "files", KnowledgeTier.Article, "en", null, KnowledgeVisibility.Public);

        var error = Assert.ThrowsAsync<QdrantException>(() => bed.External.UpsertAsync([chunk], CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.GrpcStatus, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(error.Message, Does.Contain("Vector dimension error").And.Contain("got 3"));
            Assert.That(bed.Collection.Points.Keys, Has.None.EqualTo(999UL));
        });
    }

    [Test]
    public async Task UpsertAsync_QdrantUnavailableOnce_IsRetriedAndSucceeds()
    {
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("first", "Refunds take five days.");
        var before = bed.Fake.Calls.Count;
        bed.Fake.FailNext(StatusCode.Unavailable, "Service unavailable: overloaded");

        await bed.AddAsync("second", "Parcels ship daily.");

        Assert.Multiple(() =>
        {
            Assert.That(bed.Collection.Points, Has.Count.EqualTo(2));
            Assert.That(bed.Fake.Calls.Skip(before).Count(c => c.Status == StatusCode.Unavailable), Is.EqualTo(1), "one failed attempt was recorded");
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

        var queries = bed.Fake.RequestsTo<QueryPoints>("Points/Query")
            .Select(r => r.Prefetch.Single(p => p.Using == "dense").Query.Nearest.Dense.Data.ToArray()).ToList();
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
        var deletesBefore = bed.Fake.RequestsTo<DeletePoints>("Points/Delete").Count;
        var upsertsBefore = bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Count;
        var vectorsBefore = bed.Collection.Points.ToDictionary(p => p.Key, p => p.Value.Dense["dense"]);

        var refitted = await bed.Index.RefitEmbeddingsAsync(CancellationToken.None);

        var upserts = bed.Fake.RequestsTo<UpsertPoints>("Points/Upsert").Skip(upsertsBefore).ToList();
        var points = bed.Collection.Points;
        Assert.Multiple(() =>
        {
            Assert.That(bed.Fake.RequestsTo<DeletePoints>("Points/Delete"), Has.Count.EqualTo(deletesBefore));
            Assert.That(upserts.Sum(u => u.Points.Count), Is.EqualTo(refitted));
            Assert.That(upserts, Has.Count.EqualTo((int)Math.Ceiling(refitted / 4.0)));
            Assert.That(points, Has.Count.EqualTo(refitted));
            Assert.That(points.Count(p => !p.Value.Dense["dense"].SequenceEqual(vectorsBefore[p.Key])), Is.GreaterThan(0), "the refit changed vectors and they reached Qdrant");
        });
    }
}

using System.Text.Json.Nodes;
using HelpdeskSidecar.Knowledge;
using HelpdeskSidecar.Tests.Contracts;

namespace HelpdeskSidecar.Tests.Knowledge.Qdrant;

/// <summary>
/// Every request the Qdrant client sends, and every answer the fake gives, checked against the v1.19.x OpenAPI spec
/// (strict about undeclared properties, see <see cref="QdrantOpenApi"/>). Ignored when shared/contracts is absent.
/// </summary>
[TestFixture]
public sealed class QdrantContractTests
{
    [Test]
    public async Task EveryRequest_FullLifecycle_ValidatesAgainstSpec()
    {
        var spec = QdrantOpenApi.LoadOrIgnore();
        await using var bed = await QdrantTestBed.StartAsync(batchSize: 2);
        await bed.AddAsync("refunds", "Refunds are paid within 14 days.", brand: "acme",
            more: [new ArticleSection("refunds › Cards", "Card refunds take five days."), new ArticleSection("refunds › Cash", "Cash refunds at the store.")]);
        await bed.AddAsync("internal", "Override code R-77.", visibility: KnowledgeVisibility.Agents, tier: KnowledgeTier.Internal, locale: "de");
        await bed.Index.RetrieveAsync(new RetrievalRequest("refund card days", 3) { Scope = new RetrievalScope { Brand = "acme", Locale = "de-CH" } }, CancellationToken.None);
        await bed.Index.RetrieveAsync(new RetrievalRequest("refund", 3) { Scope = new RetrievalScope { Visibility = KnowledgeVisibility.Agents, Tiers = [KnowledgeTier.Internal] } }, CancellationToken.None);
        await bed.AddAsync("refunds", "Refunds are paid within 10 days.", brand: "acme");
        await bed.Index.RemoveExternalAsync(1, CancellationToken.None);
        bed.Fake.Collections["kb_test"].Config.Remove("metadata"); // as a collection of an older sparse scheme: read, pushed again, marked
        await bed.Reopen().RetrieveAsync(new RetrievalRequest("refund", 3), CancellationToken.None);

        var requests = bed.Fake.Requests.ToList();
        var kinds = requests.Select(r => $"{r.Method} {r.PathAndQuery.Split('?')[0].Replace("kb_test", "{c}", StringComparison.Ordinal)}").ToHashSet();
        Assert.That(kinds, Is.SupersetOf(new[]
        {
            "GET /collections/{c}/exists", "PUT /collections/{c}", "PUT /collections/{c}/index", "PUT /collections/{c}/points",
            "POST /collections/{c}/points/query", "POST /collections/{c}/points/delete", "GET /collections/{c}", "PATCH /collections/{c}",
        }));
        var failures = requests.SelectMany(r => spec.ValidateRequest(r.Method, r.PathAndQuery, r.Body).Select(e => $"{r.Method} {r.PathAndQuery}: {e}")).ToList();
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task EveryFakeResponse_FullLifecycle_ValidatesAgainstSpec()
    {
        var spec = QdrantOpenApi.LoadOrIgnore();
        await using var bed = await QdrantTestBed.StartAsync();
        await bed.AddAsync("refunds", "Refunds are paid within 14 days.");
        await bed.Index.RetrieveAsync(new RetrievalRequest("refund days", 3), CancellationToken.None);
        bed.Fake.Collections["kb_test"].Config.Remove("metadata");
        await bed.Reopen().RetrieveAsync(new RetrievalRequest("refund days", 3), CancellationToken.None);

        var responses = bed.Fake.Responses.ToList();
        Assert.That(responses.Select(r => r.PathAndQuery), Has.Some.Contains("/points/query"));
        Assert.That(responses.Select(r => $"{r.Method} {r.PathAndQuery}"), Has.Some.EqualTo("GET /collections/kb_test").And.Some.EqualTo("PATCH /collections/kb_test"));
        var failures = responses.SelectMany(r => spec.ValidateResponse(r.Method, r.PathAndQuery, r.Status, r.Body).Select(e => $"{r.Method} {r.PathAndQuery}: {e}")).ToList();
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Validator_DerivedRequestExamples_AreValid()
    {
        var spec = QdrantOpenApi.LoadOrIgnore();
        var examplesPath = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(QdrantOpenApi.FindSpecPath())!)!, "derived", "request-examples.json");
        if (!File.Exists(examplesPath))
            Assert.Ignore("shared/contracts/qdrant/derived/request-examples.json is absent.");
        var examples = JsonNode.Parse(File.ReadAllText(examplesPath))!;
        Assert.Multiple(() =>
        {
            Assert.That(spec.ValidateRequest("PUT", "/collections/c", examples["CreateCollection"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateRequest("PUT", "/collections/c/index?wait=true", examples["CreateFieldIndex_keyword_tenant"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateRequest("PUT", "/collections/c/points?wait=true", examples["PointInsertOperations"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateRequest("POST", "/collections/c/points/query", examples["QueryRequest_hybrid_rrf"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateRequest("POST", "/collections/c/points/query", examples["QueryRequest_weighted_rrf"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateRequest("POST", "/collections/c/points/delete", examples["FilterSelector_delete_by_doc"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateResponse("POST", "/collections/c/points/query", 200, examples["response_ok_query"]!.ToJsonString()), Is.Empty);
            Assert.That(spec.ValidateResponse("POST", "/collections/c/points/query", 404, examples["response_error_404"]!.ToJsonString()), Is.Empty);
        });
    }

    [TestCase("QueryRequest", """{"query": {"fusion": "max"}}""", TestName = "Validator_UnknownFusion_IsRejected")]
    [TestCase("Filter", """{"mustt": []}""", TestName = "Validator_MisspeltFilterKey_IsRejected")]
    [TestCase("QueryRequest", """{"prefetch": [{"query": [0.1], "using": "dense", "limitt": 5}], "query": {"fusion": "rrf"}}""", TestName = "Validator_UnknownPrefetchKey_IsRejected")]
    [TestCase("QueryRequest", """{"query": {"fusion": "rrf"}, "limit": "five"}""", TestName = "Validator_OptionalFieldOfWrongType_IsRejected")]
    [TestCase("CreateCollection", """{"sparse_vectors": {"sparse": {"modifier": "bm25"}}}""", TestName = "Validator_UnknownSparseModifier_IsRejected")]
    [TestCase("SparseVector", """{"indices": [-1], "values": [0.5]}""", TestName = "Validator_NegativeSparseIndex_IsRejected")]
    [TestCase("PointsSelector", """{"filter": {"must": [{"key": "article_id", "match": {"valeu": 3}}]}}""", TestName = "Validator_MisspeltMatchKey_IsRejected")]
    public void Validator_NegativeControl_ReportsAnError(string component, string json)
    {
        var spec = QdrantOpenApi.LoadOrIgnore();
        Assert.That(spec.ValidateSchema(component, JsonNode.Parse(json)), Is.Not.Empty);
    }

    [Test]
    public void Validator_UndeclaredQueryParameter_IsRejected()
    {
        var spec = QdrantOpenApi.LoadOrIgnore();
        Assert.Multiple(() =>
        {
            Assert.That(spec.ValidateRequest("PUT", "/collections/c/points?wiat=true", """{"points": []}"""), Is.Not.Empty);
            Assert.That(spec.ValidateRequest("PUT", "/collections/c/points?wait=true", """{"points": []}"""), Is.Empty);
        });
    }
}

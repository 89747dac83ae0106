namespace HelpdeskSidecar.Tests;

/// <summary>What the whole run shares ends with it: the test PostgreSQL server, if one was started.</summary>
[SetUpFixture]
public sealed class TestRunEnd
{
    [OneTimeTearDown]
    public void StopSharedServers() => TestSupport.TestPostgres.Stop();
}

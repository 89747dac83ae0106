using Dapper;

namespace HelpdeskSidecar.Access;

/// <summary>The throttle as the sign-in page uses it: in memory on SQLite, in <c>login_failures</c> on PostgreSQL.</summary>
internal sealed partial class LoginThrottle
{
    private bool Shared => database is { IsPostgres: true };

    /// <returns>How long to wait before trying again, or null when the attempt may go ahead.</returns>
    public async Task<TimeSpan?> RetryAfterAsync(string userName, string client, CancellationToken ct)
    {
        if (!Shared)
            return RetryAfter(userName, client);
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var connection = await database!.OpenAsync(ct);
        TimeSpan? wait = null;
        foreach (var key in Keys(userName, client))
        {
            // The newest LoginAttempts failures inside the window; when there are that many, the oldest of them says when.
            var times = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT at FROM login_failures WHERE key = @key AND at > @since ORDER BY at DESC LIMIT @attempts",
                new { key, since = (now - o.LoginWindow).ToString("O"), attempts = o.LoginAttempts }, cancellationToken: ct))).ToList();
            if (times.Count < o.LoginAttempts)
                continue;
            var until = DateTimeOffset.Parse(times[^1], System.Globalization.CultureInfo.InvariantCulture) + o.LoginWindow - now;
            wait = wait is { } w && w > until ? w : until;
        }
        return wait;
    }

    public async Task FailedAsync(string userName, string client, CancellationToken ct)
    {
        if (!Shared)
        {
            Failed(userName, client);
            return;
        }
        var now = time.GetUtcNow();
        await using var connection = await database!.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO login_failures (key, at) VALUES (@key, @at)",
            Keys(userName, client).Select(key => new { key, at = now.ToString("O") }).ToList(), tx, cancellationToken: ct));
        // Failures that left the window count for nothing: made-up names cannot fill the table.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_failures WHERE at <= @before", new { before = (now - options.Value.LoginWindow).ToString("O") }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task SucceededAsync(string userName, CancellationToken ct)
    {
        if (!Shared)
        {
            Succeeded(userName);
            return;
        }
        await using var connection = await database!.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM login_failures WHERE key = @key", new { key = NameKey(userName) }, cancellationToken: ct));
    }
}

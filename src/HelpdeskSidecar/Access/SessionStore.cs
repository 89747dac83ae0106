using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using HelpdeskSidecar.Storage;
using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Access;

/// <param name="Id">Random, carried inside the (encrypted) console cookie.</param>
/// <param name="IssuedAt">When the user signed in; the session ends <see cref="AccessOptions.SessionAbsoluteLifetime"/> later, however active.</param>
internal sealed record SessionRecord(string Id, DateTimeOffset IssuedAt);

/// <summary>
/// Console sessions held server-side, one row per sign-in. A cookie opens the console only while its row exists, so
/// signing out (which deletes the row) ends that browser's session even for a copy of the cookie, while the same user's
/// other browsers keep theirs. Ending every session of a user (password reset, role change, disable, remove) changes the
/// user's session stamp (<see cref="ConsoleUser.SessionStamp"/>) and deletes the user's rows (<see cref="UserStore"/>).
/// </summary>
internal sealed class SessionStore(Database database, TimeProvider time, IOptions<AccessOptions> options)
{
    public async Task<SessionRecord> OpenAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var session = new SessionRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), now);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Rows past the absolute lifetime can never open anything again: sign-ins sweep them.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM console_sessions WHERE issued_at < @cutoff",
            new { cutoff = Format(now - options.Value.SessionAbsoluteLifetime) }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO console_sessions (id, name_key, issued_at) VALUES (@Id, @key, @issued)",
            new { session.Id, key = UserNames.Key(userName), issued = Format(session.IssuedAt) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return session;
    }

    /// <summary>True while the session has not been signed out and is younger than the absolute lifetime.</summary>
    public async Task<bool> IsOpenAsync(string id, string userName, DateTimeOffset issuedAt, CancellationToken ct)
    {
        if (time.GetUtcNow() - issuedAt >= options.Value.SessionAbsoluteLifetime)
            return false;
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM console_sessions WHERE id = @id AND name_key = @key",
            new { id, key = UserNames.Key(userName) }, cancellationToken: ct)) == 1;
    }

    public async Task EndAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM console_sessions WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}

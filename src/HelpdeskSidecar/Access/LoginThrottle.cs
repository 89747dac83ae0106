using Microsoft.Extensions.Options;

namespace HelpdeskSidecar.Access;

/// <summary>
/// Failed console sign-ins, counted per user name and per client address (the address behind a known proxy, see
/// <see cref="AccessOptions.KnownProxies"/>) over a sliding <see cref="AccessOptions.LoginWindow"/>. A successful
/// sign-in counts for nothing; once either count reaches <see cref="AccessOptions.LoginAttempts"/>, sign-ins from that
/// client or for that name wait until the oldest failure leaves the window. Time comes from the injected clock.
/// </summary>
/// <remarks>
/// With several replicas on PostgreSQL the failures are rows of <c>login_failures</c>, so a client cannot spread its
/// guesses over the replicas (LoginThrottle.Shared.cs); one SQLite process counts them in memory.
/// </remarks>
internal sealed partial class LoginThrottle(IOptions<AccessOptions> options, TimeProvider time, Storage.Database? database = null)
{
    /// <summary>Beyond this many names and addresses, expired ones are dropped (many made-up names cannot fill memory).</summary>
    private const int PruneAbove = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <returns>How long to wait before trying again, or null when the attempt may go ahead.</returns>
    public TimeSpan? RetryAfter(string userName, string client)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        lock (_gate)
        {
            TimeSpan? wait = null;
            foreach (var key in Keys(userName, client))
            {
                if (!_failures.TryGetValue(key, out var times))
                    continue;
                Expire(times, now, o.LoginWindow);
                if (times.Count >= o.LoginAttempts)
                {
                    var until = times.Peek() + o.LoginWindow - now;
                    wait = wait is { } w && w > until ? w : until;
                }
            }
            return wait;
        }
    }

    public void Failed(string userName, string client)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        lock (_gate)
        {
            if (_failures.Count > PruneAbove)
            {
                foreach (var (key, times) in _failures.ToList())
                {
                    Expire(times, now, o.LoginWindow);
                    if (times.Count == 0)
                        _failures.Remove(key);
                }
            }
            foreach (var key in Keys(userName, client))
            {
                if (!_failures.TryGetValue(key, out var times))
                    _failures[key] = times = new Queue<DateTimeOffset>();
                Expire(times, now, o.LoginWindow);
                times.Enqueue(now);
                while (times.Count > o.LoginAttempts)
                    times.Dequeue();
            }
        }
    }

    /// <summary>The name's failures are forgotten once its password is given; the client's are not (one good account
    /// must not reset the count of a client trying other names).</summary>
    public void Succeeded(string userName)
    {
        lock (_gate)
            _failures.Remove(NameKey(userName));
    }

    private static string[] Keys(string userName, string client) => [NameKey(userName), "client:" + client];

    private static string NameKey(string userName) => "name:" + UserNames.Key(userName);

    private static void Expire(Queue<DateTimeOffset> times, DateTimeOffset now, TimeSpan window)
    {
        while (times.Count > 0 && times.Peek() + window <= now)
            times.Dequeue();
    }
}

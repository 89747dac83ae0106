using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace HelpdeskSidecar.Storage.Shared;

/// <summary>
/// Replicas starting together on an empty key ring would each make a key of their own and, until their cached rings
/// refresh, refuse each other's cookies. So at start, one replica at a time (a cluster lock) makes sure the database
/// holds a usable key, and the others find it there.
/// </summary>
internal sealed class SharedKeyRing(IKeyManager keys, ClusterLocks locks, TimeProvider time) : IHostedService
{
    /// <summary>A key that expires sooner than this is not usable: a new one is made (the framework's own margin).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var exclusive = await locks.AcquireAsync("data-protection-keys", cancellationToken);
        var now = time.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now + Margin))
            keys.CreateNewKey(now, now + Lifetime);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

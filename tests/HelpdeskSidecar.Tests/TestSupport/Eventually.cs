namespace HelpdeskSidecar.Tests.TestSupport;

/// <summary>Waits on a condition with a timeout; never a bare sleep.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var limit = TimeProvider.System.GetTimestamp();
        var max = timeout ?? TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (TimeProvider.System.GetElapsedTime(limit) > max)
                Assert.Fail($"Timed out after {max.TotalSeconds:0}s waiting for {because ?? "a condition"}; last value: {value}");
            await Task.Delay(25);
        }
    }
}

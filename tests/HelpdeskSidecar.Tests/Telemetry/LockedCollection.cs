using System.Collections;

namespace HelpdeskSidecar.Tests.Telemetry;

/// <summary>What the in-memory exporters add to from the exporting threads, read by a test while they still add.</summary>
internal sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) return _items.Count; } }

    public bool IsReadOnly => false;

    public IReadOnlyList<T> Snapshot() { lock (_items) return [.. _items]; }

    public void Add(T item) { lock (_items) _items.Add(item); }

    public void Clear() { lock (_items) _items.Clear(); }

    public bool Contains(T item) { lock (_items) return _items.Contains(item); }

    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }

    public bool Remove(T item) { lock (_items) return _items.Remove(item); }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace ContactCenter.Runtime.Instances;

/// <summary>
/// A thread-safe cache of at most <see cref="Capacity"/> entries that drops the least recently used
/// one when full. Adds are rare (a value is costly to build) and reads frequent, so a read takes a
/// lock only long enough to stamp the entry, and an eviction scans the entries.
/// </summary>
internal sealed class LruCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = new(comparer);
    private readonly Lock _lock = new();
    private long _clock;

    public int Capacity { get; } = capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the cache must hold at least one entry");

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.LastUsed = ++_clock;
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Adds <paramref name="value"/> unless another caller added one first; returns the cached one.</summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.LastUsed = ++_clock;
                return existing.Value;
            }

            if (_entries.Count >= Capacity)
            {
                var oldest = _entries.MinBy(e => e.Value.LastUsed).Key;
                _entries.Remove(oldest);
            }

            _entries[key] = new Entry(value) { LastUsed = ++_clock };
            return value;
        }
    }

    private sealed class Entry(TValue value)
    {
        public TValue Value { get; } = value;

        public long LastUsed { get; set; }
    }
}

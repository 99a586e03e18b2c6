using System.Collections;

namespace ContactCenter.Engine;

/// <summary>
/// Entries ordered by id in one flat array. Ids inside an instance only grow, so adding is an
/// append; removing shifts a handful of entries; copying is one array copy. This is what keeps
/// the copy-on-write state of <see cref="InstanceState"/> cheap (see docs/performance.md).
/// </summary>
internal sealed class IdMap<T> : IReadOnlyList<T>
{
    private Entry[] _entries;

    public IdMap()
    {
        _entries = [];
    }

    private IdMap(IdMap<T> source)
    {
        // A little headroom, because a copy is made in order to be written to.
        _entries = new Entry[source.Count + 2];
        Array.Copy(source._entries, _entries, source.Count);
        Count = source.Count;
    }

    public IdMap(IEnumerable<KeyValuePair<long, T>> entries)
        : this()
    {
        foreach (var (id, value) in entries.OrderBy(e => e.Key))
        {
            Add(id, value);
        }
    }

    public int Count { get; private set; }

    public T this[int index] => index < Count ? _entries[index].Value : throw new ArgumentOutOfRangeException(nameof(index));

    public IdMap<T> Copy() => new(this);

    public long IdAt(int index) => _entries[index].Id;

    public bool ContainsKey(long id) => IndexOf(id) >= 0;

    public bool TryGetValue(long id, out T value)
    {
        var index = IndexOf(id);
        value = index >= 0 ? _entries[index].Value : default!;
        return index >= 0;
    }

    /// <summary>Returns the value of an id that must be present.</summary>
    public T Get(long id) => TryGetValue(id, out var value) ? value : throw new KeyNotFoundException($"id {id} is not active");

    /// <summary>Adds or replaces.</summary>
    public void Set(long id, T value)
    {
        var index = IndexOf(id);
        if (index >= 0)
        {
            _entries[index] = new Entry(id, value);
        }
        else
        {
            Insert(~index, id, value);
        }
    }

    public bool TryAdd(long id, T value)
    {
        var index = IndexOf(id);
        if (index >= 0)
        {
            return false;
        }

        Insert(~index, id, value);
        return true;
    }

    public void Add(long id, T value)
    {
        if (!TryAdd(id, value))
        {
            throw new ArgumentException($"id {id} is already present", nameof(id));
        }
    }

    public bool Remove(long id)
    {
        var index = IndexOf(id);
        if (index < 0)
        {
            return false;
        }

        Count--;
        Array.Copy(_entries, index + 1, _entries, index, Count - index);
        _entries[Count] = default;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(long id)
    {
        // The common case: the newest id, at the end.
        if (Count > 0 && _entries[Count - 1].Id == id)
        {
            return Count - 1;
        }

        int low = 0, high = Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var found = _entries[middle].Id;
            if (found == id)
            {
                return middle;
            }

            if (found < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private void Insert(int index, long id, T value)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Math.Max(4, Count * 2));
        }

        Array.Copy(_entries, index, _entries, index + 1, Count - index);
        _entries[index] = new Entry(id, value);
        Count++;
    }

    private readonly record struct Entry(long Id, T Value);

    public struct Enumerator(IdMap<T> map) : IEnumerator<T>
    {
        private int _index = -1;

        public readonly T Current => map._entries[_index].Value;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < map.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}

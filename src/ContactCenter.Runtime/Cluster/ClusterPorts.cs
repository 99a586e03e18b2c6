namespace ContactCenter.Runtime.Cluster;

/// <summary>
/// Short messages from this node to the other nodes of a cluster (on PostgreSQL, LISTEN/NOTIFY).
/// What a node does on its own it does directly; this only carries it to the others. On a single
/// node (SQLite) there are no others, and <see cref="SingleNode"/> sends nothing.
/// </summary>
/// <remarks>
/// At most once, in the order one node sent them: a node that is down, or restarting, misses what
/// was sent meanwhile. Fit for what a reader can reload (live updates), not for anything durable.
/// </remarks>
public interface IClusterSignals
{
    /// <summary>Queues <paramref name="payload"/> for every other node's subscribers of <paramref name="topic"/>; never blocks.</summary>
    void Publish(string topic, string payload);

    /// <summary>Calls <paramref name="handler"/> with each payload another node publishes on <paramref name="topic"/>.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}

/// <summary>
/// A lock on a key, held by one caller of the whole cluster at a time (on PostgreSQL, an advisory
/// lock held by a session; on one node, a semaphore). For work that spans several commits and must
/// not interleave with the same key's work on another node.
/// </summary>
public interface IClusterLocks
{
    /// <summary>Waits for the lock of <paramref name="key"/>; disposing the result releases it.</summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>Named counters that every node of a cluster draws from: no two draws return the same value.</summary>
public interface IClusterCounters
{
    /// <summary>The next value of <paramref name="name"/> (letters, digits and underscores): 0 first, then 1, 2, … (gaps allowed).</summary>
    ValueTask<long> NextAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>The cluster of one process: signals go nowhere, locks and counters are in memory.</summary>
public sealed class SingleNode : IClusterSignals, IClusterLocks, IClusterCounters
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox> _counters = new(StringComparer.Ordinal);

    public void Publish(string topic, string payload)
    {
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => Nothing.Instance;

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken = default)
    {
        var gate = _locks[StableHash.Of(key) % (uint)_locks.Length];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(gate);
    }

    public ValueTask<long> NextAsync(string name, CancellationToken cancellationToken = default)
    {
        ClusterNames.Check(name);
        var counter = _counters.GetOrAdd(name, _ => new StrongBox());
        return ValueTask.FromResult(Interlocked.Increment(ref counter.Value));
    }

    private sealed class StrongBox
    {
        public long Value = -1;
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}

/// <summary>A hash of a string that is the same in every process (string.GetHashCode is not): FNV-1a over its UTF-8 bytes.</summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

/// <summary>The names a counter or a topic may have: they end up in SQL identifiers.</summary>
public static class ClusterNames
{
    public static void Check(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 40 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a cluster name: at most 40 lower-case letters, digits and underscores", nameof(name));
        }
    }
}

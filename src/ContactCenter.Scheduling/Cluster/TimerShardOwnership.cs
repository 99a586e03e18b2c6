namespace ContactCenter.Scheduling.Cluster;

/// <summary>Which timer shards this node drains: all of them on a single node, its leased ones in a cluster.</summary>
public interface ITimerShardOwnership
{
    /// <summary>
    /// A hold on <paramref name="shard"/> for one drain, or null when this node does not own it now.
    /// While the hold lasts the node does not give the shard up; disposing it ends the hold.
    /// </summary>
    IDisposable? Hold(int shard);
}

/// <summary>One node owns every shard (SQLite, or a PostgreSQL database with one node).</summary>
public sealed class AllTimerShards : ITimerShardOwnership
{
    public IDisposable? Hold(int shard) => Held.Instance;

    private sealed class Held : IDisposable
    {
        public static readonly Held Instance = new();

        public void Dispose()
        {
        }
    }
}

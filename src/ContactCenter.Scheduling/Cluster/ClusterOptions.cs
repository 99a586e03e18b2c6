namespace ContactCenter.Scheduling.Cluster;

/// <summary>
/// How the nodes of a cluster on one PostgreSQL database share the periodic work. Set
/// <see cref="TimerSchedulingOptions.Cluster"/> to run as one of them; the choices are explained
/// in docs/decisions/0007-several-nodes-on-one-postgresql.md.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The PostgreSQL database the nodes share (the instance database).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// How often a node renews its view of the timer shards: counts the live nodes, takes free
    /// shards up to its share, gives back the rest. A dead node's shards are taken within about one
    /// interval of PostgreSQL seeing its connection close. Default is 500 ms.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The application name of the lease sessions: how nodes count each other. Default is <c>contactcenter-timer-shards</c>.</summary>
    public string LeaseApplicationName { get; set; } = "contactcenter-timer-shards";

    /// <summary>
    /// How often the clustered Quartz scheduler records that this node is alive. Default is 5 s:
    /// its jobs (retention) are hourly, so a quicker detection buys nothing and costs a write per
    /// node per interval.
    /// </summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long past a missed check-in the others wait before taking a node's Quartz work. Default is 10 s.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How late a clustered trigger may fire before Quartz counts it misfired (and applies its
    /// misfire instruction, run once now). Default is 60 s: longer than a node's takeover, so a
    /// trigger of a dead node is simply run late by the survivor.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The LISTEN/NOTIFY channel of <see cref="Runtime.Cluster.IClusterSignals"/>. Default is <c>contactcenter_signals</c>.</summary>
    public string SignalChannel { get; set; } = "contactcenter_signals";
}

using ContactCenter.Scheduling.Cluster;

namespace ContactCenter.Scheduling;

/// <summary>How Quartz runs the periodic work. Read once, when the scheduler is registered.</summary>
public sealed class TimerSchedulingOptions
{
    /// <summary>The name of the Quartz scheduler: its service key in the container. Default is <c>ContactCenter.Timers</c>.</summary>
    public string SchedulerName { get; set; } = "ContactCenter.Timers";

    /// <summary>Quartz's thread pool: how many jobs run at once (one per shard at most). Default is 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Whether the host starts and stops the scheduler (Quartz's hosted service). When false nothing
    /// periodic runs: no timer drain, no outbox delivery, no retention (a command-line tool, a test
    /// that drives the work by hand). Default is true.
    /// </summary>
    public bool StartWithHost { get; set; } = true;

    /// <summary>How often the outbox job runs; null (the default) schedules no outbox job.</summary>
    public TimeSpan? OutboxInterval { get; set; }

    /// <summary>How often the retention job runs (and once at start); null (the default) schedules no retention job.</summary>
    public TimeSpan? RetentionInterval { get; set; }

    /// <summary>
    /// Null (the default): this process is the only node; every timer shard is its own and Quartz
    /// keeps its jobs in memory. Set: one node of a cluster on that PostgreSQL database; timer
    /// shards are leased (<see cref="PostgresShardLeases"/>) and retention runs in a clustered
    /// Quartz scheduler, on one node at a time.
    /// </summary>
    public ClusterOptions? Cluster { get; set; }

    /// <summary>The name of the clustered Quartz scheduler (the same on every node). Default is <c>ContactCenter.Cluster</c>.</summary>
    public string ClusterSchedulerName { get; set; } = "ContactCenter.Cluster";
}

using ContactCenter.Runtime.Timers;
using ContactCenter.Scheduling.Cluster;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Drains one shard's due timer rows (<see cref="TimerDrain"/>). Quartz runs one job per shard on a
/// repeating trigger, never two runs of one shard at once; the rows, not Quartz, are the durable
/// record of what is armed, so a run lost to a crash is simply the next run's work. In a cluster
/// every node has the job of every shard, and a run drains only a shard this node owns now
/// (<see cref="ITimerShardOwnership"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed class TimerShardJob(TimerDrain drain, ITimerShardOwnership shards, ILogger<TimerShardJob> logger) : IJob
{
    /// <summary>The job data key holding the shard number.</summary>
    public const string ShardKey = "shard";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shard = context.MergedJobDataMap.GetInt(ShardKey);
        using var hold = shards.Hold(shard);
        if (hold is null)
        {
            return;
        }

        try
        {
            await drain.FireDueAsync(shard, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: what is left is due at the next start.
        }
        catch (Exception e)
        {
            // The store failed (the disk, a lock): the rows are untouched, and the next run retries.
            logger.LogError(e, "Timer shard {Shard} could not be drained; the next run tries again", shard);
        }
    }
}

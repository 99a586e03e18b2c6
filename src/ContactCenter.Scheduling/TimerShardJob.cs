using ContactCenter.Runtime.Timers;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Drains one shard's due timer rows (<see cref="TimerDrain"/>). Quartz runs one job per shard on a
/// repeating trigger, never two runs of one shard at once; the rows, not Quartz, are the durable
/// record of what is armed, so a run lost to a crash is simply the next run's work.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TimerShardJob(TimerDrain drain, ILogger<TimerShardJob> logger) : IJob
{
    /// <summary>The job data key holding the shard number.</summary>
    public const string ShardKey = "shard";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shard = context.MergedJobDataMap.GetInt(ShardKey);
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

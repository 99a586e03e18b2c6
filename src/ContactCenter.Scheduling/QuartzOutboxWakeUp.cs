using ContactCenter.Runtime.Outbox;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Runs the <see cref="OutboxJob"/> now when a commit wrote outbox rows, instead of at its next poll.
/// Coalesced: many commits before the job starts ask Quartz for one run, so a busy node triggers
/// the job at most once per run rather than once per commit.
/// </summary>
public sealed class QuartzOutboxWakeUp(ISchedulerFactory schedulers, ILogger<QuartzOutboxWakeUp> logger) : IOutboxWakeUp
{
    private int _requested;

    public void RowsWritten()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 0)
        {
            _ = TriggerAsync();
        }
    }

    /// <summary>Called by the job as it starts: rows committed from now on need another run.</summary>
    internal void Clear() => Volatile.Write(ref _requested, 0);

    private async Task TriggerAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler().ConfigureAwait(false);
            await scheduler.TriggerJob(OutboxJob.Key).ConfigureAwait(false);
        }
        catch (SchedulerException e)
        {
            // Shutting down, or not started yet: the rows are durable, and the poll delivers them.
            Clear();
            logger.LogDebug(e, "Outbox wake-up not sent; the next poll delivers the rows");
        }
    }
}

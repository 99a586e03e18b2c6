using ContactCenter.Runtime.Outbox;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Delivers the due outbox rows (<see cref="OutboxDispatcher.DispatchAllDueAsync"/>), on a trigger
/// repeating every <see cref="OutboxOptions.PollInterval"/> and whenever a commit wrote rows
/// (<see cref="QuartzOutboxWakeUp"/>). Never two runs at once: a wake-up during a run is one more
/// run after it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OutboxJob(OutboxDispatcher dispatcher, ILogger<OutboxJob> logger, QuartzOutboxWakeUp? wakeUp = null) : IJob
{
    /// <summary>The job's key in the scheduler.</summary>
    public static readonly JobKey Key = new("outbox", "periodic");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        // Cleared before reading the rows: a commit after this point wakes another run, so none is missed.
        wakeUp?.Clear();
        try
        {
            await dispatcher.DispatchAllDueAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: an undelivered row is delivered after the next start.
        }
        catch (Exception e)
        {
            // The store failed (the disk, a lock): nothing was marked, and the next run tries again.
            logger.LogError(e, "Outbox pass failed; the next run tries again");
        }
    }
}

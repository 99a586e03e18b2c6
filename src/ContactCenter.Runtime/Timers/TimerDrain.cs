using System.Diagnostics;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Timers;

/// <summary>
/// Fires the due timer rows of one shard, soonest first, in batches: the whole of timer firing,
/// whatever calls it (a Quartz job per shard in production, a test by hand). One drain per shard
/// at a time is the caller's duty (the Quartz job disallows concurrent runs).
/// </summary>
/// <remarks>
/// A row is never lost: it leaves the table only with the commit of its firing, or here when the
/// runtime says its timer is no longer pending. A failed firing moves the row later by a growing
/// back-off and keeps it. Firing twice is harmless (the second finds nothing pending) and firing
/// early changes nothing (the engine checks the timer's current due time).
/// </remarks>
public sealed class TimerDrain(ITimerStore store, ITimerSink sink, TimerOptions options, TimeProvider clock, ILogger<TimerDrain> logger)
{
    /// <summary>Fires every row of <paramref name="shard"/> due now; returns how many timers fired.</summary>
    public async Task<int> FireDueAsync(int shard, CancellationToken cancellationToken = default)
    {
        var fired = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var due = await store.ListDueAsync(shard, now, options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (due.Count == 0)
            {
                break;
            }

            var outcomes = new TimerFiringOutcome?[due.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, due.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.FiringConcurrency, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await FireOneAsync(due[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
            var firedNow = outcomes.Count(o => o == TimerFiringOutcome.Fired);
            fired += firedNow;

            // A short batch was the last of what is due; a full one may have more behind it. A
            // batch where every firing failed (a failing store or runtime) ends the run, so a drain
            // never spins on rows it cannot move; their back-off has moved them anyway.
            if (due.Count < options.BatchSize || outcomes.All(o => o is null))
            {
                break;
            }
        }

        return fired;
    }

    /// <summary>The operation name of a firing's span: the root of a trace of its own, linked to the command that armed the timer.</summary>
    public const string FiringSpan = "contactcenter.timer.fire";

    private async Task<TimerFiringOutcome?> FireOneAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        // A firing is its own trace whoever calls the drain; this async method's change of the
        // current span does not flow back to the caller.
        Activity.Current = null;
        using var activity = Telemetry.Source.StartActivity(FiringSpan, ActivityKind.Internal, parentContext: default, links: Telemetry.LinksTo(timer.TraceParent));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Telemetry.Tags.InstanceId, timer.InstanceId);
            activity.SetTag(Telemetry.Tags.TimerId, timer.TimerId);
            activity.SetTag(Telemetry.Tags.TimerElement, timer.ElementId);
        }

        var outcome = await FireTracedAsync(timer, cancellationToken).ConfigureAwait(false);
        var name = outcome switch
        {
            TimerFiringOutcome.Fired => "fired",
            TimerFiringOutcome.NotDue => "not_due",
            TimerFiringOutcome.NotPending => "not_pending",
            TimerFiringOutcome.InstanceMissing => "instance_missing",
            _ => cancellationToken.IsCancellationRequested ? "cancelled" : "failed",
        };
        Telemetry.TimerFirings.Add(1, new KeyValuePair<string, object?>(Telemetry.Tags.Outcome, name));
        activity?.SetTag(Telemetry.Tags.Outcome, name);
        if (outcome is null)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return outcome;
    }

    private async Task<TimerFiringOutcome?> FireTracedAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        try
        {
            var firing = await sink.FireAsync(timer.InstanceId, timer.TimerId, cancellationToken).ConfigureAwait(false);
            if (firing.Outcome == TimerFiringOutcome.Fired)
            {
                // Against the row's due time: a row deferred after failures counts from its last retry.
                Telemetry.TimerLateness.Record(Math.Max(0, (clock.GetUtcNow() - timer.DueAt).TotalSeconds));
            }

            switch (firing.Outcome)
            {
                case TimerFiringOutcome.NotPending or TimerFiringOutcome.InstanceMissing:
                    await store.RemoveAsync(timer, cancellationToken).ConfigureAwait(false);
                    break;
                case TimerFiringOutcome.NotDue when firing.DueAt is { } dueAt:
                    // The row fell behind its timer (it cannot, while commits keep them together;
                    // this heals a row written by an older version): follow the engine's due time.
                    await store.DeferAsync(timer, dueAt, timer.Attempts, cancellationToken).ConfigureAwait(false);
                    break;
            }

            return firing.Outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the row stays as it is and fires after the next start.
            return null;
        }
        catch (Exception e)
        {
            var attempts = timer.Attempts + 1;
            var retryAt = clock.GetUtcNow() + RetryDelay(attempts);
            logger.LogWarning(e, "Timer {TimerId} of instance {InstanceId} ({ElementId}) failed to fire (attempt {Attempts}); tried again at {RetryAt:O}", timer.TimerId, timer.InstanceId, timer.ElementId, attempts, retryAt);
            try
            {
                await store.DeferAsync(timer, retryAt, attempts, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception deferral)
            {
                // The row stays due and is picked again by the next drain.
                logger.LogError(deferral, "Timer {TimerId} of instance {InstanceId} could not be deferred", timer.TimerId, timer.InstanceId);
            }

            return null;
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>-th failure: doubling from the first delay, capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = options.RetryInitialDelay * factor;
        return delay > options.RetryMaxDelay ? options.RetryMaxDelay : delay;
    }
}

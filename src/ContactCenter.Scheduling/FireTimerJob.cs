using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// The Quartz job every timer trigger fires: hands (instance, timer), read from the trigger's key,
/// to <see cref="ITimerSink"/>. Built by Quartz's job factory from the container, in a scope of its own.
/// </summary>
/// <remarks>
/// A firing is never dropped on an exception: the job logs it and rethrows, and the trigger's retry
/// policy (see <see cref="TimerSchedulingOptions.RetryInitialDelay"/>) fires it again later, durably,
/// surviving a restart in between. A firing cut short by the scheduler shutting down is rethrown as
/// <see cref="TimerFiringInterruptedException"/> for the same reason: Quartz does not retry a plain
/// cancellation on its own token. Firing twice is harmless: the runtime ignores a timer that is no
/// longer pending.
/// </remarks>
public sealed class FireTimerJob(ITimerSink sink, ILogger<FireTimerJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A firing cut short by a crash is re-run after start under a recovery trigger with a key
        // of Quartz's own; the timer is named by the original trigger's key, which Quartz keeps.
        var key = context.Recovering && context.RecoveringTriggerKey is { } original ? original : context.Trigger.Key;
        if (!TimerKeys.TryParse(key, out var instanceId, out var timerId))
        {
            // Not a timer's trigger: nothing to fire, and retrying would not make it one.
            logger.LogError("Trigger {TriggerKey} fired the timer job but is not a timer's key; ignored", key);
            return;
        }

        try
        {
            await sink.FireAsync(instanceId, timerId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Timer {TimerId} of instance {InstanceId} was interrupted by shutdown; it fires again after start", timerId, instanceId);
            throw new TimerFiringInterruptedException(instanceId, timerId, e);
        }
        catch (Exception e)
        {
            logger.LogWarning(
                e,
                "Timer {TimerId} of instance {InstanceId} failed to fire (retry {RetryAttempt}); Quartz retries it",
                timerId,
                instanceId,
                context.RetryAttempt);
            throw;
        }
    }
}

/// <summary>A firing cut short by shutdown; thrown so that Quartz's retry policy keeps the firing.</summary>
public sealed class TimerFiringInterruptedException : Exception
{
    public TimerFiringInterruptedException()
    {
    }

    public TimerFiringInterruptedException(string message)
        : base(message)
    {
    }

    public TimerFiringInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimerFiringInterruptedException(Guid instanceId, long timerId, Exception innerException)
        : base($"Firing of timer {timerId} of instance {instanceId} was interrupted by shutdown.", innerException)
    {
    }
}

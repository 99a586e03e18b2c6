using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// <see cref="ITimerScheduler"/> on Quartz.NET with a persistent job store in SQLite: one trigger per
/// committed timer, keyed by <see cref="TimerKeys.Trigger"/>, due at <see cref="TimerRecord.DueAt"/>,
/// misfire instruction "fire now" (a timer that fell due while the process was down fires right
/// after start), and a retry policy so a failed firing fires again.
/// </summary>
public sealed class QuartzTimerScheduler : ITimerScheduler
{
    private readonly ISchedulerFactory factory;
    private readonly TimerSchedulingOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<QuartzTimerScheduler> logger;
    private readonly RetryPolicy retryPolicy;
    private readonly Lock gate = new();
    private Task<IScheduler>? ready;

    public QuartzTimerScheduler(
        ISchedulerFactory factory,
        TimerSchedulingOptions options,
        TimeProvider timeProvider,
        ILogger<QuartzTimerScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.factory = factory;
        this.options = options;
        this.timeProvider = options.TimeProvider ?? timeProvider;
        this.logger = logger;
        retryPolicy = RetryPolicy.Exponential(
            options.RetryMaxAttempts,
            options.RetryInitialDelay,
            factor: 2,
            maxDelay: options.RetryMaxDelay);
    }

    public async Task ScheduleAsync(TimerRecord timer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var scheduler = await GetSchedulerAsync(cancellationToken).ConfigureAwait(false);
        var trigger = TriggerBuilder.Create(timeProvider)
            .WithIdentity(TimerKeys.Trigger(timer.InstanceId, timer.TimerId))
            .ForJob(TimerKeys.Job)
            .WithDescription(timer.ElementId)
            .StartAt(timer.DueAt)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .WithRetryPolicy(retryPolicy)
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        logger.LogDebug("Timer {TimerId} of instance {InstanceId} ({ElementId}) armed for {DueAt:O}", timer.TimerId, timer.InstanceId, timer.ElementId, timer.DueAt);
    }

    public async Task UnscheduleAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
    {
        var scheduler = await GetSchedulerAsync(cancellationToken).ConfigureAwait(false);
        await scheduler.UnscheduleJob(TimerKeys.Trigger(instanceId, timerId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<(Guid InstanceId, long TimerId)>> ListScheduledAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await GetSchedulerAsync(cancellationToken).ConfigureAwait(false);
        var keys = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(TimerKeys.Group), cancellationToken).ConfigureAwait(false);
        var timers = new List<(Guid, long)>(keys.Count);
        foreach (var key in keys)
        {
            if (TimerKeys.TryParse(key, out var instanceId, out var timerId))
            {
                timers.Add((instanceId, timerId));
            }
        }

        return timers;
    }

    /// <summary>
    /// The scheduler, with the durable job every timer trigger fires stored (replaced, once per
    /// process, so a changed job definition takes effect). It need not be started: triggers
    /// scheduled before the host starts it are stored and fire once it runs.
    /// </summary>
    private Task<IScheduler> GetSchedulerAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (ready is null || ready.IsFaulted || ready.IsCanceled)
            {
                ready = PrepareAsync(cancellationToken);
            }

            return ready;
        }
    }

    private async Task<IScheduler> PrepareAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.AddJob(FireTimerJobDetail(), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        return scheduler;
    }

    /// <summary>Durable (it outlives each trigger) and recoverable (re-fired after a crash mid-firing).</summary>
    internal static IJobDetail FireTimerJobDetail() =>
        JobBuilder.Create<FireTimerJob>()
            .WithIdentity(TimerKeys.Job)
            .WithDescription("Fires a committed timer through ITimerSink")
            .StoreDurably()
            .RequestRecovery()
            .Build();
}

using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>Registers the Quartz scheduler that runs the periodic work: timer drains, outbox delivery, retention.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a Quartz scheduler of its own, named <see cref="TimerSchedulingOptions.SchedulerName"/>,
    /// with one <see cref="TimerShardJob"/> per shard of <paramref name="timers"/>, each on a trigger
    /// repeating every <see cref="TimerOptions.PollInterval"/>. Its store is in memory: the jobs are
    /// declared here at every start, and what must survive a crash (the timers) is in the instance
    /// database. The application registers <see cref="TimerDrain"/>.
    /// When <see cref="TimerSchedulingOptions.OutboxInterval"/> is set, an <see cref="OutboxJob"/> runs
    /// at that interval (the application registers <see cref="OutboxDispatcher"/>), and, when the host
    /// starts the scheduler, an <see cref="IOutboxWakeUp"/> runs it after each commit that wrote rows;
    /// when <see cref="TimerSchedulingOptions.RetentionInterval"/> is set, a <see cref="RetentionJob"/>
    /// runs at start and at that interval (the application registers <see cref="Runtime.Retention.RetentionPolicy"/>).
    /// </summary>
    public static IServiceCollection AddContactCenterScheduling(
        this IServiceCollection services,
        TimerOptions timers,
        Action<TimerSchedulingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(timers);
        timers.Validate();
        var options = new TimerSchedulingOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);

        // A scheduler of its own rather than the application's default one: its own thread pool and
        // start/stop, so other Quartz work in the process neither starves timers nor is starved by them.
        services.AddQuartz(options.SchedulerName, q =>
        {
            // A thread more for each of the outbox and retention jobs: while there are no more shards
            // than MaxConcurrency (8 and 8 by default), busy timer drains never hold them up.
            var periodicJobs = (options.OutboxInterval is null ? 0 : 1) + (options.RetentionInterval is null ? 0 : 1);
            q.UseDefaultThreadPool(Math.Max(1, options.MaxConcurrency) + periodicJobs);
            q.UseInMemoryStore();
            // Polling runs on the real clock whatever the application's TimeProvider is (Quartz
            // would take the container's): the drains compare due times with the application's.
            q.UseTimeProvider(TimeProvider.System);
            foreach (var shard in Enumerable.Range(0, timers.Shards))
            {
                var job = new JobKey($"timer-shard-{shard}", "timers");
                q.AddJob<TimerShardJob>(j => j.WithIdentity(job).UsingJobData(TimerShardJob.ShardKey, shard));
                q.AddTrigger(t => t
                    .ForJob(job)
                    .WithIdentity($"timer-shard-{shard}", "timers")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(timers.PollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)));
            }

            if (options.OutboxInterval is { } outbox)
            {
                Repeat<OutboxJob>(q, OutboxJob.Key, outbox);
            }

            if (options.RetentionInterval is { } retention)
            {
                Repeat<RetentionJob>(q, RetentionJob.Key, retention);
            }
        });

        if (options.StartWithHost)
        {
            services.AddQuartzHostedService(options.SchedulerName, h => h.WaitForJobsToComplete = true);
            if (options.OutboxInterval is not null)
            {
                // Only when the scheduler runs: without it nothing would ever take the job's triggers.
                services.AddSingleton(sp => new QuartzOutboxWakeUp(
                    sp.GetRequiredKeyedService<ISchedulerFactory>(options.SchedulerName),
                    sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<QuartzOutboxWakeUp>>()));
                services.AddSingleton<IOutboxWakeUp>(sp => sp.GetRequiredService<QuartzOutboxWakeUp>());
            }
        }

        return services;
    }

    /// <summary>A job on a trigger that fires at start and then every <paramref name="interval"/>; a missed run is run once, late.</summary>
    private static void Repeat<TJob>(IQuartzBuilder q, JobKey key, TimeSpan interval)
        where TJob : IJob
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"the interval of {key.Name} must be positive");
        }

        q.AddJob<TJob>(j => j.WithIdentity(key));
        q.AddTrigger(t => t
            .ForJob(key)
            .WithIdentity(key.Name, key.Group)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)));
    }
}

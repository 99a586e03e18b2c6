using ContactCenter.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>Registers the Quartz scheduler that drains the timer rows.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a Quartz scheduler of its own, named <see cref="TimerSchedulingOptions.SchedulerName"/>,
    /// with one <see cref="TimerShardJob"/> per shard of <paramref name="timers"/>, each on a trigger
    /// repeating every <see cref="TimerOptions.PollInterval"/>. Its store is in memory: the jobs are
    /// declared here at every start, and what must survive a crash (the timers) is in the instance
    /// database. The application registers <see cref="TimerDrain"/>.
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
            q.UseDefaultThreadPool(Math.Max(1, options.MaxConcurrency));
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
        });

        if (options.StartWithHost)
        {
            services.AddQuartzHostedService(options.SchedulerName, h => h.WaitForJobsToComplete = true);
        }

        return services;
    }
}

using ContactCenter.Runtime.Cluster;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Timers;
using ContactCenter.Scheduling.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
    /// With <see cref="TimerSchedulingOptions.Cluster"/> set, this node is one of several on one
    /// PostgreSQL database: it drains only the timer shards it leases, delivers the outbox like every
    /// node (rows are claimed, so each goes out once), runs retention in a clustered Quartz scheduler
    /// (one node at a time), and the cluster ports (<see cref="IClusterSignals"/>,
    /// <see cref="IClusterLocks"/>, <see cref="IClusterCounters"/>) go through PostgreSQL; otherwise
    /// they are <see cref="SingleNode"/>'s.
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
        var cluster = options.Cluster;
        AddClusterPorts(services, cluster, timers, options.StartWithHost);

        // A scheduler of its own rather than the application's default one: its own thread pool and
        // start/stop, so other Quartz work in the process neither starves timers nor is starved by them.
        services.AddQuartz(options.SchedulerName, q =>
        {
            // A thread more for each of the outbox and retention jobs: while there are no more shards
            // than MaxConcurrency (8 and 8 by default), busy timer drains never hold them up.
            var localRetention = cluster is null ? options.RetentionInterval : null;
            var periodicJobs = (options.OutboxInterval is null ? 0 : 1) + (localRetention is null ? 0 : 1);
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

            if (localRetention is { } retention)
            {
                Repeat<RetentionJob>(q, RetentionJob.Key, retention);
            }
        });

        if (cluster is not null && options.RetentionInterval is { } clusterRetention)
        {
            AddClusteredScheduler(services, options, cluster, clusterRetention);
        }

        if (options.StartWithHost)
        {
            services.AddQuartzHostedService(options.SchedulerName, h => h.WaitForJobsToComplete = true);
            if (cluster is not null && options.RetentionInterval is not null)
            {
                // After the schema is there (registered in AddClusterPorts, before this).
                services.AddQuartzHostedService(options.ClusterSchedulerName, h => h.WaitForJobsToComplete = true);
            }
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

    /// <summary>
    /// The clustered scheduler: Quartz's AdoJobStore on the cluster's database, one row lock for all
    /// nodes, instance ids generated (AUTO). It runs only what must run on one node at a time and
    /// seldom (retention), so its cost per firing (~26 statements) does not matter.
    /// </summary>
    private static void AddClusteredScheduler(IServiceCollection services, TimerSchedulingOptions options, ClusterOptions cluster, TimeSpan retention)
    {
        services.AddQuartz(options.ClusterSchedulerName, q =>
        {
            q.UseDefaultThreadPool(1);
            q.UseTimeProvider(TimeProvider.System);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(cluster.ConnectionString);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = cluster.CheckinInterval;
                    c.CheckinMisfireThreshold = cluster.CheckinMisfireThreshold;
                });
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = QuartzPostgresSchema.TablePrefix;
                    s.MisfireThreshold = cluster.MisfireThreshold;
                    s.StoreJobDataAsStrings = true;
                });
            });
            Repeat<RetentionJob>(q, RetentionJob.Key, retention);
        });
    }

    /// <summary>The cluster's ports: PostgreSQL's when clustered (and the shard leases, when this node drains), else one node's.</summary>
    private static void AddClusterPorts(IServiceCollection services, ClusterOptions? cluster, TimerOptions timers, bool drains)
    {
        if (cluster is null)
        {
            services.TryAddSingleton<SingleNode>();
            services.TryAddSingleton<IClusterSignals>(sp => sp.GetRequiredService<SingleNode>());
            services.TryAddSingleton<IClusterLocks>(sp => sp.GetRequiredService<SingleNode>());
            services.TryAddSingleton<IClusterCounters>(sp => sp.GetRequiredService<SingleNode>());
            services.TryAddSingleton<ITimerShardOwnership, AllTimerShards>();
            return;
        }

        services.AddSingleton(cluster);
        services.AddSingleton(sp => new PostgresClusterSignals(cluster.ConnectionString, cluster, sp.GetRequiredService<ILogger<PostgresClusterSignals>>()));
        services.AddSingleton<IClusterSignals>(sp => sp.GetRequiredService<PostgresClusterSignals>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresClusterSignals>());
        services.AddSingleton<IClusterLocks>(_ => new PostgresClusterLocks(cluster.ConnectionString));
        services.AddSingleton<IClusterCounters>(_ => new PostgresClusterCounters(cluster.ConnectionString));
        services.AddHostedService(sp => new QuartzPostgresSchema(cluster.ConnectionString, sp.GetRequiredService<ILogger<QuartzPostgresSchema>>()));
        if (drains)
        {
            services.AddSingleton(sp => new PostgresShardLeases(cluster.ConnectionString, timers.Shards, cluster, sp.GetRequiredService<ILogger<PostgresShardLeases>>()));
            services.AddSingleton<ITimerShardOwnership>(sp => sp.GetRequiredService<PostgresShardLeases>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresShardLeases>());
        }
        else
        {
            services.AddSingleton<ITimerShardOwnership, AllTimerShards>();
        }
    }
}

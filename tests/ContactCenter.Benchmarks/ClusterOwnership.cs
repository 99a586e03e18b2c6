using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ContactCenter.Scheduling.Cluster;
using ContactCenter.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Quartz;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Benchmarks;

/// <summary>
/// <c>--cluster --ownership</c>: what it costs to give each timer shard to one node of a cluster,
/// the two ways docs/decisions/0007 weighs, on a durable (fsync on) throwaway PostgreSQL:
/// (a) Quartz clustered (AdoJobStore) firing each shard's drain trigger every poll interval,
/// (b) shard leases (advisory locks) renewed every lease interval, the drains run locally.
/// Prints for each: drain runs per second against what the poll interval asks, their lateness
/// p50/p99, and PostgreSQL transactions per second (pg_stat_database) spent on ownership alone.
/// </summary>
internal static class ClusterOwnership
{
    private const int Shards = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = LoadArgs.Int(args, "--seconds", 20);
        var nodes = LoadArgs.Int(args, "--nodes", 3);
        var poll = TimeSpan.FromMilliseconds(LoadArgs.Int(args, "--poll-ms", 250));
        await using var server = await ThrowawayPostgres.StartAsync(durable: true);
        Console.WriteLine($"ownership of {Shards} shards, {nodes} nodes, poll {poll.TotalMilliseconds} ms, {seconds} s each, PostgreSQL fsync on; this machine's 2 cores shared with whatever else runs");

        var quartz = await QuartzTriggersAsync(await server.CreateDatabaseAsync("own_quartz"), nodes, poll, seconds);
        var leases = await LeasesAsync(await server.CreateDatabaseAsync("own_leases"), nodes, seconds);
        Console.WriteLine($"(a) Quartz clustered, a trigger per shard: {quartz.RunsPerSecond:F1} drain runs/s of {Shards / poll.TotalSeconds:F0} asked, lateness p50 {quartz.P50:F0} ms p99 {quartz.P99:F0} ms, {quartz.CommitsPerSecond:F0} PostgreSQL transactions/s");
        Console.WriteLine($"(b) shard leases (advisory locks, 500 ms rounds): drains run locally every poll, {leases.CommitsPerSecond:F0} PostgreSQL transactions/s, every shard owned once: {leases.OwnedOnce}");
        var met = leases.OwnedOnce && leases.CommitsPerSecond < quartz.CommitsPerSecond;
        Console.WriteLine($"bar (shard ownership cheaper by leases than by Quartz triggers): {(met ? "MET" : "MISSED")}");
        return 0;
    }

    private sealed record Figures(double RunsPerSecond, double P50, double P99, double CommitsPerSecond, bool OwnedOnce);

    private static async Task<Figures> QuartzTriggersAsync(string connectionString, int nodes, TimeSpan poll, int seconds)
    {
        await QuartzPostgresSchema.EnsureAsync(connectionString);
        ProbeJob.Lateness.Clear();
        var schedulers = new List<IScheduler>();
        var containers = new List<ServiceProvider>();
        for (var node = 0; node < nodes; node++)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddQuartz("Ownership", q =>
            {
                q.UseDefaultThreadPool(Shards);
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(connectionString);
                    s.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(5));
                    s.ConfigureStore(o => o.StoreJobDataAsStrings = true);
                });
                for (var shard = 0; shard < Shards; shard++)
                {
                    var job = new JobKey($"shard-{shard}", "timers");
                    q.AddJob<ProbeJob>(j => j.WithIdentity(job));
                    q.AddTrigger(t => t.ForJob(job).WithIdentity($"shard-{shard}", "timers").StartNow()
                        .WithSimpleSchedule(x => x.WithInterval(poll).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)));
                }
            });
            var provider = services.BuildServiceProvider();
            containers.Add(provider);
            schedulers.Add(await provider.GetRequiredKeyedService<ISchedulerFactory>("Ownership").GetScheduler());
        }

        var before = await CommitsAsync(connectionString);
        var clock = Stopwatch.StartNew();
        foreach (var scheduler in schedulers)
        {
            await scheduler.Start();
        }

        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var commits = await CommitsAsync(connectionString) - before;
        var elapsed = clock.Elapsed.TotalSeconds;
        foreach (var scheduler in schedulers)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        foreach (var container in containers)
        {
            await container.DisposeAsync();
        }

        var lateness = ProbeJob.Lateness.ToArray().Order().ToArray();
        return new Figures(lateness.Length / elapsed, Percentile(lateness, 0.50), Percentile(lateness, 0.99), commits / elapsed, true);
    }

    private static async Task<Figures> LeasesAsync(string connectionString, int nodes, int seconds)
    {
        var options = new ClusterOptions { ConnectionString = connectionString };
        var leases = Enumerable.Range(0, nodes).Select(_ => new PostgresShardLeases(connectionString, Shards, options, NullLogger<PostgresShardLeases>.Instance)).ToList();
        foreach (var node in leases)
        {
            await node.StartAsync(CancellationToken.None);
        }

        // Settled first (a node's share taken), then measured: the steady cost, not the start.
        var settle = Stopwatch.StartNew();
        while (leases.Sum(l => l.Owned.Count) < Shards && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        var before = await CommitsAsync(connectionString);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var commits = await CommitsAsync(connectionString) - before;
        var elapsed = clock.Elapsed.TotalSeconds;
        var owned = leases.SelectMany(l => l.Owned).ToList();
        foreach (var node in leases)
        {
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }

        return new Figures(0, 0, 0, commits / elapsed, owned.Count == Shards && owned.Distinct().Count() == Shards);
    }

    private static async Task<long> CommitsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The statistics of this session's own transaction are flushed at its end; read a fresh snapshot.
        await using var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection);
        await clear.ExecuteNonQueryAsync();
        await using var read = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Stands in for a drain: records how late Quartz ran it, does nothing.</summary>
    [DisallowConcurrentExecution]
    internal sealed class ProbeJob : IJob
    {
        public static readonly ConcurrentQueue<double> Lateness = new();

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            if (context.ScheduledFireTimeUtc is { } scheduled)
            {
                Lateness.Enqueue(Math.Max(0, (context.FireTimeUtc - scheduled).TotalMilliseconds));
            }

            return ValueTask.CompletedTask;
        }
    }
}

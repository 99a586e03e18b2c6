using ContactCenter.Hosting;
using ContactCenter.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ContactCenter.Scheduling.Tests;

/// <summary>What the scheduler tests look at: a host's Quartz scheduler, and a condition awaited without a fixed sleep.</summary>
internal static class SchedulerProbe
{
    public static async Task<IScheduler> SchedulerOf(IHost host)
    {
        var options = host.Services.GetRequiredService<TimerSchedulingOptions>();
        return await host.Services.GetRequiredKeyedService<ISchedulerFactory>(options.SchedulerName).GetScheduler()
            ?? throw new InvalidOperationException("no scheduler");
    }

    /// <summary>
    /// What points a host at a fresh database of <paramref name="provider"/>: SQLite, the host's file
    /// under its data folder (the default); PostgreSQL, a database of its own on the process's
    /// throwaway server, shared by every host the returned action configures (the nodes of a cluster).
    /// </summary>
    public static async Task<Action<ContactCenterOptions>> DatabaseOf(DatabaseProvider provider, string prefix)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return _ => { };
        }

        var connectionString = await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync(prefix);
        return o =>
        {
            o.Database.Provider = DatabaseProvider.PostgreSql;
            o.Database.ConnectionString = connectionString;
        };
    }

    /// <summary>
    /// The host's periodic jobs, wherever they run: the node's own scheduler, and on PostgreSQL the
    /// clustered one too (retention, one node at a time).
    /// </summary>
    public static async Task<List<JobKey>> PeriodicJobsOf(IHost host)
    {
        var jobs = (await (await SchedulerOf(host)).GetJobKeys(GroupMatcher<JobKey>.GroupEquals("periodic"))).ToList();
        if (await ClusteredSchedulerOf(host) is { } clustered)
        {
            jobs.AddRange(await clustered.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("periodic")));
        }

        return jobs;
    }

    /// <summary>The scheduler that runs retention: the clustered one on PostgreSQL, else the node's own.</summary>
    public static async Task<IScheduler> RetentionSchedulerOf(IHost host) => await ClusteredSchedulerOf(host) ?? await SchedulerOf(host);

    private static async Task<IScheduler?> ClusteredSchedulerOf(IHost host)
    {
        var options = host.Services.GetRequiredService<TimerSchedulingOptions>();
        return options.Cluster is null
            ? null
            : await host.Services.GetRequiredKeyedService<ISchedulerFactory>(options.ClusterSchedulerName).GetScheduler();
    }

    /// <summary>Stops and disposes the hosts, then deletes their folder.</summary>
    public static async Task StopAndDeleteAsync(IEnumerable<IHost?> hosts, string root)
    {
        foreach (var host in hosts.OfType<IHost>())
        {
            await host.StopAsync();
            host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Polls a condition for up to 20 s (the machine may be busy), without sleeping a fixed time.</summary>
    public static async Task<bool> Until(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }
}

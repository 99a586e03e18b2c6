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

    /// <summary>Stops and disposes the hosts, then deletes their folder.</summary>
    public static async Task StopAndDeleteAsync(IEnumerable<IHost?> hosts, string root)
    {
        foreach (var host in hosts.OfType<IHost>())
        {
            await host.StopAsync();
            host.Dispose();
        }

        SqliteConnection.ClearAllPools();
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

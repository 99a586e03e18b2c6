using System.Collections.Concurrent;
using System.Diagnostics;
using ContactCenter.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ContactCenter.Scheduling.Tests;

/// <summary>One attempt to fire a timer, as the sink saw it.</summary>
public sealed record Firing(Guid InstanceId, long TimerId, DateTimeOffset At, bool Succeeded);

/// <summary>An <see cref="ITimerSink"/> that records every call and can be told to throw.</summary>
public sealed class RecordingSink : ITimerSink
{
    private readonly ConcurrentQueue<Firing> firings = new();
    private int failuresLeft;

    public IReadOnlyList<Firing> Attempts => [.. firings];

    public IReadOnlyList<Firing> Fired => [.. firings.Where(f => f.Succeeded)];

    /// <summary>The next <paramref name="count"/> calls throw.</summary>
    public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

    public Task FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
    {
        var at = TimeProvider.System.GetUtcNow();
        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            firings.Enqueue(new Firing(instanceId, timerId, at, Succeeded: false));
            throw new InvalidOperationException("transient failure (test)");
        }

        firings.Enqueue(new Firing(instanceId, timerId, at, Succeeded: true));
        return Task.CompletedTask;
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cc-scheduling-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a handle still closing must not fail the test.
        }
    }
}

/// <summary>A real host running the real registration: Quartz on a SQLite file.</summary>
public sealed class SchedulerHost : IAsyncDisposable
{
    private readonly IHost host;

    private SchedulerHost(IHost host)
    {
        this.host = host;
        Timers = host.Services.GetRequiredService<ITimerScheduler>();
    }

    public ITimerScheduler Timers { get; }

    public IServiceProvider Services => host.Services;

    public static async Task<SchedulerHost> StartAsync(string databasePath, ITimerSink sink, Action<TimerSchedulingOptions>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(sink);
        builder.Services.AddContactCenterScheduling(o =>
        {
            o.DatabasePath = databasePath;
            o.RetryInitialDelay = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new SchedulerHost(host);
    }

    public async Task StopAsync() => await host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms; false when it is still false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>Waits until <paramref name="instant"/> has passed on the real clock.</summary>
    public static async Task UntilPastAsync(DateTimeOffset instant)
    {
        var left = instant - TimeProvider.System.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(5));
        }
    }
}

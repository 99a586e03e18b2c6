using ContactCenter.Runtime.Storage;
using FluentAssertions;

namespace ContactCenter.Scheduling.Tests;

/// <summary>
/// A process that dies while a timer's job is running leaves a fired trigger behind. At the
/// next start Quartz re-runs the job under a recovery trigger whose key is its own, not the
/// timer's; the job must still fire the right timer.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task A_firing_cut_short_by_a_crash_is_recovered_for_the_same_timer_at_the_next_start()
    {
        var database = folder.File("quartz.db");
        var stuck = new StuckSink();
        var first = await SchedulerHost.StartAsync(database, stuck);
        var timer = new TimerRecord(Guid.CreateVersion7(), 7, "Event_Timer1", DateTimeOffset.UtcNow.AddMilliseconds(200));
        await first.Timers.ScheduleAsync(timer);
        (await Wait.UntilAsync(() => stuck.Entered.Task.IsCompleted, TimeSpan.FromSeconds(10))).Should().BeTrue("the first process starts firing the timer");

        // The first process is now "dead" mid-firing: its job never finishes. A new process on
        // the same file recovers the in-progress firing (non-clustered Quartz recovers every
        // fired trigger it finds at start).
        var sink = new RecordingSink();
        await using (var second = await SchedulerHost.StartAsync(database, sink))
        {
            (await Wait.UntilAsync(() => sink.Fired.Count > 0, TimeSpan.FromSeconds(10))).Should().BeTrue("the recovered firing reaches the sink");
            sink.Fired.Should().ContainSingle().Which.Should().Match<Firing>(f => f.InstanceId == timer.InstanceId && f.TimerId == timer.TimerId);
        }

        stuck.Release();
        await first.DisposeAsync();
    }

    public void Dispose() => folder.Dispose();

    /// <summary>Enters and then blocks, ignoring cancellation, as a process frozen mid-firing would.</summary>
    private sealed class StuckSink : ITimerSink
    {
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await release.Task;
        }

        public void Release() => release.TrySetResult();
    }
}

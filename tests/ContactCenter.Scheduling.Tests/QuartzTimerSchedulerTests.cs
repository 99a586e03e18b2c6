using System.Diagnostics;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ContactCenter.Scheduling.Tests;

/// <summary>Real Quartz schedulers on real SQLite files in temporary folders.</summary>
public sealed class QuartzTimerSchedulerTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>How long a test keeps watching after the expected firing, to see that no second one comes.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempFolder folder = new();

    private string Database => folder.File("quartz.db");

    public void Dispose() => folder.Dispose();

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static TimerRecord Timer(Guid instanceId, long timerId, DateTimeOffset dueAt) => new(instanceId, timerId, "Timer_1", dueAt);

    [Fact]
    public async Task A_timer_due_in_300_ms_fires_its_sink_exactly_once()
    {
        var sink = new RecordingSink();
        await using var host = await SchedulerHost.StartAsync(Database, sink);
        var instanceId = Guid.NewGuid();
        var due = Now.AddMilliseconds(300);

        await host.Timers.ScheduleAsync(Timer(instanceId, 7, due));

        (await Wait.UntilAsync(() => sink.Fired.Count > 0, Patience)).Should().BeTrue();
        await Task.Delay(Quiet);
        sink.Attempts.Should().ContainSingle().Which.Should().BeEquivalentTo(new { InstanceId = instanceId, TimerId = 7L, Succeeded = true });
        var lateness = sink.Fired[0].At - due;
        output.WriteLine($"lateness {lateness.TotalMilliseconds:F0} ms");
        lateness.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(-5)).And.BeLessThan(TimeSpan.FromSeconds(1));
        (await host.Timers.ListScheduledAsync()).Should().BeEmpty("a fired one-shot trigger is gone");
    }

    [Fact]
    public async Task The_schema_is_created_by_Quartz_in_its_own_file()
    {
        await using (await SchedulerHost.StartAsync(Database, new RecordingSink()))
        {
        }

        File.Exists(Database).Should().BeTrue();
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('QRTZ_TRIGGERS', 'QRTZ_SIMPLE_TRIGGERS', 'QRTZ_JOB_DETAILS', 'QRTZ_FIRED_TRIGGERS')";
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(4);
    }

    [Fact]
    public async Task Rescheduling_a_timer_replaces_its_trigger_so_it_fires_once_at_the_new_time()
    {
        var sink = new RecordingSink();
        await using var host = await SchedulerHost.StartAsync(Database, sink);
        var instanceId = Guid.NewGuid();
        var first = Now.AddMilliseconds(300);
        var second = Now.AddMilliseconds(1000);

        await host.Timers.ScheduleAsync(Timer(instanceId, 1, first));
        await host.Timers.ScheduleAsync(Timer(instanceId, 1, second));

        (await Wait.UntilAsync(() => sink.Fired.Count > 0, Patience)).Should().BeTrue();
        await Task.Delay(Quiet);
        sink.Attempts.Should().ContainSingle();
        var firedAt = sink.Fired[0].At;
        output.WriteLine($"fired {(firedAt - second).TotalMilliseconds:F0} ms after the new due time");
        firedAt.Should().BeOnOrAfter(second.AddMilliseconds(-5), "the first due time was replaced");
    }

    [Fact]
    public async Task Unscheduling_a_timer_prevents_its_firing_and_is_idempotent()
    {
        var sink = new RecordingSink();
        await using var host = await SchedulerHost.StartAsync(Database, sink);
        var instanceId = Guid.NewGuid();
        var due = Now.AddMilliseconds(300);

        await host.Timers.ScheduleAsync(Timer(instanceId, 3, due));
        await host.Timers.UnscheduleAsync(instanceId, 3);
        await host.Timers.UnscheduleAsync(instanceId, 3);
        await host.Timers.UnscheduleAsync(Guid.NewGuid(), 99);

        await Wait.UntilPastAsync(due + Quiet);
        sink.Attempts.Should().BeEmpty();
    }

    [Fact]
    public async Task ListScheduled_reflects_schedule_and_unschedule()
    {
        await using var host = await SchedulerHost.StartAsync(Database, new RecordingSink());
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var later = Now.AddHours(1);

        (await host.Timers.ListScheduledAsync()).Should().BeEmpty();
        await host.Timers.ScheduleAsync(Timer(a, 1, later));
        await host.Timers.ScheduleAsync(Timer(a, 2, later));
        await host.Timers.ScheduleAsync(Timer(b, 1, later));
        await host.Timers.ScheduleAsync(Timer(b, 1, later.AddMinutes(5)));
        (await host.Timers.ListScheduledAsync()).Should().BeEquivalentTo(new[] { (a, 1L), (a, 2L), (b, 1L) });

        await host.Timers.UnscheduleAsync(a, 2);
        (await host.Timers.ListScheduledAsync()).Should().BeEquivalentTo(new[] { (a, 1L), (b, 1L) });
    }

    [Fact]
    public async Task A_timer_survives_a_restart_and_fires_once_from_the_new_scheduler()
    {
        var instanceId = Guid.NewGuid();
        var due = Now.AddSeconds(2);
        var before = new RecordingSink();
        await using (var first = await SchedulerHost.StartAsync(Database, before))
        {
            await first.Timers.ScheduleAsync(Timer(instanceId, 5, due));
        }

        var after = new RecordingSink();
        await using var second = await SchedulerHost.StartAsync(Database, after);
        (await second.Timers.ListScheduledAsync()).Should().Equal((instanceId, 5L));

        (await Wait.UntilAsync(() => after.Fired.Count > 0, Patience)).Should().BeTrue();
        await Task.Delay(Quiet);
        before.Attempts.Should().BeEmpty();
        after.Attempts.Should().ContainSingle().Which.TimerId.Should().Be(5);
        output.WriteLine($"lateness after restart {(after.Fired[0].At - due).TotalMilliseconds:F0} ms");
        after.Fired[0].At.Should().BeOnOrAfter(due.AddMilliseconds(-5));
    }

    [Fact]
    public async Task A_timer_that_fell_due_while_down_fires_promptly_after_start()
    {
        var instanceId = Guid.NewGuid();
        var due = Now.AddMilliseconds(300);
        var before = new RecordingSink();
        await using (var first = await SchedulerHost.StartAsync(Database, before))
        {
            await first.Timers.ScheduleAsync(Timer(instanceId, 9, due));
        }

        before.Attempts.Should().BeEmpty("it was shut down before the timer fell due");
        await Wait.UntilPastAsync(due.AddMilliseconds(500));

        var after = new RecordingSink();
        var started = Stopwatch.StartNew();
        await using var second = await SchedulerHost.StartAsync(Database, after);
        (await Wait.UntilAsync(() => after.Fired.Count > 0, Patience)).Should().BeTrue();
        var sinceStart = started.Elapsed;
        await Task.Delay(Quiet);

        output.WriteLine($"fired {sinceStart.TotalMilliseconds:F0} ms after start (host start included), {(after.Fired[0].At - due).TotalMilliseconds:F0} ms after due");
        after.Attempts.Should().ContainSingle();
        sinceStart.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Two_hundred_timers_due_at_once_all_fire_exactly_once()
    {
        var sink = new RecordingSink();
        await using var host = await SchedulerHost.StartAsync(Database, sink);
        var due = Now.AddSeconds(1.5);
        var timers = Enumerable.Range(1, 200).Select(i => Timer(Guid.NewGuid(), i, due)).ToList();

        var arming = Stopwatch.StartNew();
        foreach (var timer in timers)
        {
            await host.Timers.ScheduleAsync(timer);
        }

        arming.Stop();
        Now.Should().BeBefore(due, "arming 200 timers must take less than the lead time for the test to mean anything");

        (await Wait.UntilAsync(() => sink.Fired.Count >= 200, Patience)).Should().BeTrue();
        await Task.Delay(Quiet);
        sink.Attempts.Should().HaveCount(200);
        sink.Fired.Select(f => (f.InstanceId, f.TimerId)).Should().BeEquivalentTo(timers.Select(t => (t.InstanceId, t.TimerId)));
        var worst = sink.Fired.Max(f => f.At) - due;
        output.WriteLine($"armed 200 in {arming.ElapsedMilliseconds} ms; last fired {worst.TotalMilliseconds:F0} ms after due");
        worst.Should().BeLessThan(TimeSpan.FromSeconds(2));
        (await host.Timers.ListScheduledAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_sink_that_throws_once_is_retried_and_the_timer_still_fires()
    {
        var sink = new RecordingSink();
        sink.FailNext(1);
        await using var host = await SchedulerHost.StartAsync(Database, sink);
        var instanceId = Guid.NewGuid();
        var due = Now.AddMilliseconds(300);

        await host.Timers.ScheduleAsync(Timer(instanceId, 4, due));

        (await Wait.UntilAsync(() => sink.Fired.Count > 0, Patience)).Should().BeTrue();
        await Task.Delay(Quiet);
        sink.Attempts.Select(a => a.Succeeded).Should().Equal(false, true);
        output.WriteLine($"retry came {(sink.Attempts[1].At - sink.Attempts[0].At).TotalMilliseconds:F0} ms after the failure");
        (await host.Timers.ListScheduledAsync()).Should().BeEmpty();
    }
}

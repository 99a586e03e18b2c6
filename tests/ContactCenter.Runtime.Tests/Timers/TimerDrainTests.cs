using ContactCenter.Persistence;
using System.Collections.Concurrent;
using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using ContactCenter.Runtime.Timers;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Timers;

/// <summary>
/// The drain of one shard on the real SQLite store: soonest first, never early, a failed firing
/// kept and retried later, rows of timers no longer pending removed, other shards left alone.
/// </summary>
#pragma warning disable CA1001 // The fixture is disposed by xunit's IAsyncLifetime.DisposeAsync.
public abstract class TimerDrainTests(DatabaseProvider provider) : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private readonly RuntimeFixture fixture = new(provider: provider);
    private readonly FakeTimeProvider clock = new(T0);
    private readonly TimerOptions options = new() { Shards = 2, BatchSize = 2, FiringConcurrency = 1 };
    private readonly ScriptedSink sink = new();

    public async Task InitializeAsync()
    {
        await fixture.StartAsync(scheduler: false);
        sink.Queries = fixture.Queries;
        sink.Timers = fixture.Timers;
    }

    public async Task DisposeAsync() => await fixture.DisposeAsync();



    private TimerDrain Drain() => new(fixture.Timers, sink, options, clock, NullLogger<TimerDrain>.Instance);

    [Fact]
    public async Task FireDue_FiresDueRowsSoonestFirst_AcrossBatches_AndNothingEarly()
    {
        var a = await ArmAsync(shard: 0, T0.AddSeconds(-3));
        var b = await ArmAsync(shard: 0, T0.AddSeconds(-1));
        var c = await ArmAsync(shard: 0, T0.AddSeconds(-2));
        var late = await ArmAsync(shard: 0, T0.AddSeconds(1));

        (await Drain().FireDueAsync(0)).Should().Be(3, "three rows are due, in two batches of two");

        sink.Calls.Select(f => f.InstanceId).Should().Equal(a.InstanceId, c.InstanceId, b.InstanceId);
        (await PendingAsync()).Should().ContainSingle().Which.InstanceId.Should().Be(late.InstanceId, "a row due later stays armed");

        clock.Advance(TimeSpan.FromSeconds(1));
        (await Drain().FireDueAsync(0)).Should().Be(1, "at its due time, not before");
        (await PendingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task FireDue_OtherShard_IsLeftAlone()
    {
        var mine = await ArmAsync(shard: 1, T0);
        await ArmAsync(shard: 0, T0);

        (await Drain().FireDueAsync(1)).Should().Be(1);

        sink.Calls.Should().ContainSingle().Which.InstanceId.Should().Be(mine.InstanceId);
        (await PendingAsync()).Should().ContainSingle().Which.Shard.Should().Be(0);
    }

    [Fact]
    public async Task FireDue_SinkThrows_RowIsKeptAndDeferredWithGrowingBackOff_ThenFires()
    {
        var timer = await ArmAsync(shard: 0, T0);
        sink.FailNext(2);

        (await Drain().FireDueAsync(0)).Should().Be(0);
        (await PendingAsync()).Should().ContainSingle().Which.Should().Be(timer with { DueAt = T0 + options.RetryInitialDelay, Attempts = 1 });
        (await Drain().FireDueAsync(0)).Should().Be(0, "not due again before its back-off");

        clock.Advance(options.RetryInitialDelay);
        (await Drain().FireDueAsync(0)).Should().Be(0);
        (await PendingAsync()).Single().Should().Be(timer with { DueAt = clock.GetUtcNow() + (2 * options.RetryInitialDelay), Attempts = 2 }, "the back-off doubles");

        clock.Advance(2 * options.RetryInitialDelay);
        (await Drain().FireDueAsync(0)).Should().Be(1);
        (await PendingAsync()).Should().BeEmpty();
        sink.Calls.Should().HaveCount(3).And.OnlyContain(f => f.InstanceId == timer.InstanceId);
    }

    [Fact]
    public async Task FireDue_TimerNoLongerPendingOrInstanceGone_RowIsRemoved_NotDue_RowFollowsTheTimer()
    {
        var gone = await ArmAsync(shard: 0, T0.AddSeconds(-2));
        var notPending = await ArmAsync(shard: 0, T0.AddSeconds(-1));
        var moved = await ArmAsync(shard: 0, T0);
        sink.Answer(gone.InstanceId, new TimerFiring(TimerFiringOutcome.InstanceMissing));
        sink.Answer(notPending.InstanceId, new TimerFiring(TimerFiringOutcome.NotPending));
        sink.Answer(moved.InstanceId, new TimerFiring(TimerFiringOutcome.NotDue, T0.AddHours(2)));

        (await Drain().FireDueAsync(0)).Should().Be(0);

        (await PendingAsync()).Should().ContainSingle().Which.Should().Be(moved with { DueAt = T0.AddHours(2) });
    }

    [Fact]
    public async Task Reshard_MovesRowsToTheShardOfTheirInstance_AndIsANoOpOnceDone()
    {
        var stray = await ArmAsync(shard: 5, T0);
        var target = TimerShards.Of(stray.InstanceId, options.Shards);
        var placed = await ArmAsync(shard: 0, T0);
        var placedTarget = TimerShards.Of(placed.InstanceId, options.Shards);

        var moved = await fixture.Timers.ReshardAsync(options.Shards);

        moved.Should().Be(placedTarget == 0 ? 1 : 2, "only rows not on their instance's shard move");
        (await PendingAsync()).Select(t => (t.InstanceId, t.Shard)).Should().BeEquivalentTo([(stray.InstanceId, target), (placed.InstanceId, placedTarget)]);
        (await fixture.Timers.ReshardAsync(options.Shards)).Should().Be(0);
        (await Drain().FireDueAsync(target)).Should().BeGreaterThanOrEqualTo(1, "a row from a shard that no longer exists is drained again");
    }

    [Fact]
    public async Task Reshard_WithTheRecordedCount_ReadsNoRows_UnlessOneIsOnAShardBeyondIt_AndAChangedCountMovesThemAll()
    {
        await fixture.Timers.ReshardAsync(options.Shards);
        // A row on an existing shard that is not its instance's (no process of this count writes one).
        TimerRecord misplaced;
        do
        {
            misplaced = await ArmAsync(shard: 0, T0);
        }
        while (TimerShards.Of(misplaced.InstanceId, options.Shards) == 0);

        (await fixture.Timers.ReshardAsync(options.Shards)).Should().Be(0, "the recorded count says every row is placed, so none is read");
        (await PendingAsync()).Should().Contain(t => t.InstanceId == misplaced.InstanceId && t.Shard == 0);

        var beyond = await ArmAsync(shard: options.Shards + 3, T0);
        (await fixture.Timers.ReshardAsync(options.Shards)).Should().Be(2, "a row of a shard that does not exist makes every row be read and placed");
        (await PendingAsync()).Should().OnlyContain(t => t.Shard == TimerShards.Of(t.InstanceId, options.Shards));

        var grown = options.Shards + 5;
        await fixture.Timers.ReshardAsync(grown);
        (await PendingAsync()).Should().OnlyContain(t => t.Shard == TimerShards.Of(t.InstanceId, grown), "a changed count reassigns every row");
        (await PendingAsync()).Should().Contain(t => t.InstanceId == beyond.InstanceId);
        (await fixture.Timers.ReshardAsync(grown)).Should().Be(0);
    }

    [Fact]
    public void RetryDelay_DoublesAndIsCapped()
    {
        var drain = Drain();
        drain.RetryDelay(1).Should().Be(options.RetryInitialDelay);
        drain.RetryDelay(3).Should().Be(4 * options.RetryInitialDelay);
        drain.RetryDelay(1_000).Should().Be(options.RetryMaxDelay);
    }

    private async Task<IReadOnlyList<TimerRecord>> PendingAsync() => await fixture.Queries.ListPendingTimersAsync();

    /// <summary>A bare instance row with one armed timer row, committed the way the runtime commits.</summary>
    private async Task<TimerRecord> ArmAsync(int shard, DateTimeOffset dueAt)
    {
        var id = Guid.CreateVersion7();
        var timer = new TimerRecord(id, 1, "Event_Timer", dueAt, shard);
        await fixture.Store.CommitAsync(new InstanceCommit
        {
            Instance = new InstanceRecord
            {
                Id = id,
                DefinitionKey = "drain-test",
                DefinitionVersion = 1,
                Channel = "test",
                Status = InstanceStatus.Running,
                Version = 0,
                Snapshot = InstanceState.Empty.ToJson(),
                PinnedVersions = new Dictionary<string, int> { ["drain-test"] = 1 },
                StartedAt = T0,
                UpdatedAt = T0,
            },
            ExpectedVersion = 0,
            Events = [],
            TimersArmed = [timer],
        });
        return timer;
    }

    /// <summary>
    /// The runtime's side of a firing, scripted: by default it "fires" by removing the row, as the
    /// runtime's commit does; it can be told to throw, or to answer an outcome for an instance.
    /// </summary>
    private sealed class ScriptedSink : ITimerSink
    {
        private readonly ConcurrentQueue<TimerRecord> calls = new();
        private readonly ConcurrentDictionary<Guid, TimerFiring> answers = new();
        private int failuresLeft;

        public IInstanceQueries? Queries { get; set; }

        public ITimerStore? Timers { get; set; }

        public IReadOnlyList<TimerRecord> Calls => [.. calls];

        public void FailNext(int count) => failuresLeft = count;

        public void Answer(Guid instanceId, TimerFiring firing) => answers[instanceId] = firing;

        public async Task<TimerFiring> FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
        {
            calls.Enqueue(new TimerRecord(instanceId, timerId, "", default));
            if (failuresLeft-- > 0)
            {
                throw new InvalidOperationException("transient failure (test)");
            }

            if (answers.TryGetValue(instanceId, out var answer))
            {
                return answer;
            }

            // Fired: the runtime's commit removes the row with the events.
            var row = (await Queries!.ListPendingTimersAsync(cancellationToken)).Single(t => t.InstanceId == instanceId && t.TimerId == timerId);
            await Timers!.RemoveAsync(row, cancellationToken);
            return new TimerFiring(TimerFiringOutcome.Fired);
        }
    }
}

public sealed class TimerDrainOnSqliteTests() : TimerDrainTests(DatabaseProvider.Sqlite);

public sealed class TimerDrainOnPostgreSqlTests() : TimerDrainTests(DatabaseProvider.PostgreSql);

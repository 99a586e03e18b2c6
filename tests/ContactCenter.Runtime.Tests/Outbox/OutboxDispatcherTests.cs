using ContactCenter.Persistence;
using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Outbox;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Outbox;

/// <summary>The outbox dispatcher over the real EF Core outbox on SQLite, rows written by real commits.</summary>
public abstract class OutboxDispatcherTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly OutboxOptions Options = new() { FirstRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(10) };

    /// <summary>Records what it delivers; throws while <see cref="Failure"/> is set.</summary>
    private sealed class RecordingHandler(params string[] kinds) : IOutboxHandler
    {
        public List<OutboxRecord> Delivered { get; } = [];

        public Func<Exception>? Failure { get; set; }

        public bool Handles(string kind) => kinds.Contains(kind);

        public Task HandleAsync(OutboxRecord message, CancellationToken cancellationToken)
        {
            if (Failure is { } failure)
            {
                throw failure();
            }

            Delivered.Add(message);
            return Task.CompletedTask;
        }
    }

    private async Task<RuntimeFixture> StartAsync()
    {
        var fixture = new RuntimeFixture(provider: provider);
        await fixture.StartAsync();
        return fixture;
    }

    private static IOutboxStore OutboxStore(RuntimeFixture fixture) => fixture.Host!.Services.GetRequiredService<IOutboxStore>();

    private static OutboxDispatcher Dispatcher(RuntimeFixture fixture, TimeProvider clock, params IOutboxHandler[] handlers) =>
        new(OutboxStore(fixture), handlers, clock, NullLogger<OutboxDispatcher>.Instance, Options);

    /// <summary>Commits a new instance with one journal event and the given outbox rows (created at <paramref name="at"/>), as the runtime would.</summary>
    private static async Task<IReadOnlyList<OutboxRecord>> CommitAsync(RuntimeFixture fixture, DateTimeOffset at, params string[] kinds)
    {
        var id = Guid.NewGuid();
        var rows = kinds.Select((kind, i) => new OutboxRecord
        {
            Id = Guid.NewGuid(),
            IdempotencyKey = $"{id:N}:{i + 1}",
            Kind = kind,
            InstanceId = id,
            Payload = $"{{\"n\":{i}}}",
            CreatedAt = at,
            NextAttemptAt = at,
        }).ToList();
        await fixture.Store.CommitAsync(new InstanceCommit
        {
            Instance = new InstanceRecord
            {
                Id = id,
                DefinitionKey = "test",
                DefinitionVersion = 1,
                Channel = "live-chat",
                Status = InstanceStatus.Running,
                Version = 1,
                Snapshot = InstanceState.Empty.ToJson(),
                PinnedVersions = new Dictionary<string, int> { ["test"] = 1 },
                StartedAt = at,
                UpdatedAt = at,
            },
            ExpectedVersion = 0,
            Events = [new JournalRecord(id, 1, "Test", at, null, "{}")],
            Outbox = rows,
        });
        return rows;
    }

    [Fact]
    public async Task DispatchDue_DueRows_DeliveredThroughTheHandlerOfTheirKindAndMarkedDelivered()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        var rows = await CommitAsync(fixture, T0, "prompt", "service:createTicket", "prompt");
        var prompts = new RecordingHandler("prompt");
        var tickets = new RecordingHandler("service:createTicket");

        var delivered = await Dispatcher(fixture, clock, prompts, tickets).DispatchDueAsync();

        delivered.Should().Be(3);
        prompts.Delivered.Select(m => m.Id).Should().Equal(rows[0].Id, rows[2].Id);
        tickets.Delivered.Select(m => m.Id).Should().Equal(rows[1].Id);
        tickets.Delivered[0].Payload.Should().Be(rows[1].Payload);
        tickets.Delivered[0].IdempotencyKey.Should().Be(rows[1].IdempotencyKey);
        (await OutboxStore(fixture).ListDueAsync(T0.AddYears(1), 100)).Should().BeEmpty("delivered rows are marked, not merely postponed");
    }

    [Fact]
    public async Task DispatchDue_AlreadyDelivered_IsNotDeliveredAgain()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        await CommitAsync(fixture, T0, "prompt");
        var handler = new RecordingHandler("prompt");
        var dispatcher = Dispatcher(fixture, clock, handler);
        (await dispatcher.DispatchDueAsync()).Should().Be(1);

        clock.Advance(TimeSpan.FromDays(1));
        var again = await dispatcher.DispatchDueAsync();

        again.Should().Be(0);
        handler.Delivered.Should().ContainSingle();
    }

    [Fact]
    public async Task DispatchDue_NotYetDue_IsLeftForLater()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        await CommitAsync(fixture, T0.AddSeconds(5), "prompt");
        var handler = new RecordingHandler("prompt");
        var dispatcher = Dispatcher(fixture, clock, handler);

        (await dispatcher.DispatchDueAsync()).Should().Be(0);
        clock.Advance(TimeSpan.FromSeconds(5));
        (await dispatcher.DispatchDueAsync()).Should().Be(1);

        handler.Delivered.Should().ContainSingle();
    }

    [Fact]
    public async Task DispatchDue_RowsOfSeveralCommits_AreDeliveredOldestFirst()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0.AddMinutes(10));
        // Committed newest first, so insertion order is not creation order.
        var newest = await CommitAsync(fixture, T0.AddMinutes(3), "prompt");
        var middle = await CommitAsync(fixture, T0.AddMinutes(2), "prompt", "alert");
        var oldest = await CommitAsync(fixture, T0.AddMinutes(1), "alert");
        var handler = new RecordingHandler("prompt", "alert");

        await Dispatcher(fixture, clock, handler).DispatchDueAsync();

        handler.Delivered.Select(m => m.Id).Should().Equal(oldest[0].Id, middle[0].Id, middle[1].Id, newest[0].Id);
    }

    [Fact]
    public async Task DispatchDue_HandlerThrows_MarkedFailedWithAttemptsAndFirstRetryDelay()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        var rows = await CommitAsync(fixture, T0, "prompt");
        var handler = new RecordingHandler("prompt") { Failure = () => new InvalidOperationException("channel down") };

        var delivered = await Dispatcher(fixture, clock, handler).DispatchDueAsync();

        delivered.Should().Be(0);
        var store = OutboxStore(fixture);
        (await store.ListDueAsync(T0 + Options.FirstRetryDelay - TimeSpan.FromTicks(1), 10)).Should().BeEmpty("the retry waits for the back-off");
        var row = (await store.ListDueAsync(T0 + Options.FirstRetryDelay, 10)).Should().ContainSingle().Subject;
        row.Id.Should().Be(rows[0].Id);
        row.Attempts.Should().Be(1);
        row.NextAttemptAt.Should().Be(T0 + Options.FirstRetryDelay);
        row.LastError.Should().Be("channel down");
        row.DeliveredAt.Should().BeNull();
    }

    [Fact]
    public async Task DispatchDue_HandlerKeepsThrowing_BackOffDoublesUpToTheMaximum()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        await CommitAsync(fixture, T0, "prompt");
        var handler = new RecordingHandler("prompt") { Failure = () => new InvalidOperationException("channel down") };
        var dispatcher = Dispatcher(fixture, clock, handler);
        var store = OutboxStore(fixture);

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var failedAt = clock.GetUtcNow();
            await dispatcher.DispatchDueAsync();
            var row = (await store.ListDueAsync(DateTimeOffset.MaxValue, 10)).Should().ContainSingle().Subject;
            row.Attempts.Should().Be(attempt);
            delays.Add(row.NextAttemptAt - failedAt);
            clock.SetUtcNow(row.NextAttemptAt);
        }

        // 2 s doubled each time, capped at 10 s.
        delays.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        handler.Failure = null;
        (await dispatcher.DispatchDueAsync()).Should().Be(1);
        handler.Delivered.Should().ContainSingle().Which.Attempts.Should().Be(5);
    }

    [Fact]
    public async Task DispatchDue_OneHandlerThrows_TheRestOfTheBatchIsStillDelivered()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0.AddMinutes(1));
        var failing = await CommitAsync(fixture, T0, "alert");
        var fine = await CommitAsync(fixture, T0.AddSeconds(1), "prompt");
        var alerts = new RecordingHandler("alert") { Failure = () => new InvalidOperationException("smtp down") };
        var prompts = new RecordingHandler("prompt");

        var delivered = await Dispatcher(fixture, clock, alerts, prompts).DispatchDueAsync();

        delivered.Should().Be(1);
        prompts.Delivered.Should().ContainSingle().Which.Id.Should().Be(fine[0].Id);
        (await OutboxStore(fixture).ListDueAsync(DateTimeOffset.MaxValue, 10)).Should().ContainSingle().Which.Id.Should().Be(failing[0].Id);
    }

    [Fact]
    public async Task DispatchDue_HandlerTimesOutWithTaskCanceled_MarkedFailedAndTheBatchGoesOn()
    {
        // An HTTP client's timeout surfaces as TaskCanceledException although nobody cancelled the
        // pass: it is a failed delivery like any other, not a reason to abandon the batch.
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0.AddMinutes(1));
        var slow = await CommitAsync(fixture, T0, "alert");
        var fine = await CommitAsync(fixture, T0.AddSeconds(1), "prompt");
        var alerts = new RecordingHandler("alert") { Failure = () => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout") };
        var prompts = new RecordingHandler("prompt");

        var delivered = await Dispatcher(fixture, clock, alerts, prompts).DispatchDueAsync();

        delivered.Should().Be(1);
        prompts.Delivered.Should().ContainSingle().Which.Id.Should().Be(fine[0].Id);
        var row = (await OutboxStore(fixture).ListDueAsync(DateTimeOffset.MaxValue, 10)).Should().ContainSingle().Subject;
        row.Id.Should().Be(slow[0].Id);
        row.Attempts.Should().Be(1);
        row.NextAttemptAt.Should().Be(clock.GetUtcNow() + Options.FirstRetryDelay);
    }

    [Fact]
    public async Task DispatchDue_PassCancelled_StopsWithoutMarkingTheMessageFailed()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        await CommitAsync(fixture, T0, "prompt");
        using var cancel = new CancellationTokenSource();
        var handler = new RecordingHandler("prompt")
        {
            Failure = () =>
            {
                cancel.Cancel();
                return new OperationCanceledException(cancel.Token);
            },
        };

        var act = () => Dispatcher(fixture, clock, handler).DispatchDueAsync(cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        var row = (await OutboxStore(fixture).ListDueAsync(T0, 10)).Should().ContainSingle().Subject;
        row.Attempts.Should().Be(0, "a shutdown is not a failed delivery");
    }

    [Fact]
    public async Task DispatchDue_NoHandlerForTheKind_IsRetriedNotDropped()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        var rows = await CommitAsync(fixture, T0, "service:unknownThing");
        var prompts = new RecordingHandler("prompt");

        var delivered = await Dispatcher(fixture, clock, prompts).DispatchDueAsync();

        delivered.Should().Be(0);
        var row = (await OutboxStore(fixture).ListDueAsync(DateTimeOffset.MaxValue, 10)).Should().ContainSingle().Subject;
        row.Attempts.Should().Be(1);
        row.NextAttemptAt.Should().Be(T0 + Options.FirstRetryDelay);
        row.LastError.Should().Contain("service:unknownThing");

        // After a deploy that brings the handler, the waiting message is delivered.
        clock.Advance(Options.FirstRetryDelay);
        var later = new RecordingHandler("service:unknownThing");
        (await Dispatcher(fixture, clock, prompts, later).DispatchDueAsync()).Should().Be(1);
        later.Delivered.Should().ContainSingle().Which.Id.Should().Be(rows[0].Id);
    }

    [Fact]
    public async Task DispatchDue_PromptsOfARunningInstance_DeliveredInOrderOnce()
    {
        await using var fixture = new RuntimeFixture(provider: provider);
        fixture.AddWorkflow("ladder.bpmn", TestWorkflows.TimerLadder("ladder", prompts: 2, seconds: 1));
        await fixture.StartAsync();
        var instance = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "ladder", Channel = "live-chat", CustomerRef = "nasabah-7" });
        (await RuntimeFixture.EventuallyAsync(async () => (await fixture.Runtime.GetAsync(instance.Id)).Status == InstanceStatus.Completed, TimeSpan.FromSeconds(20)))
            .Should().BeTrue("both timers fire in real time");
        var handler = new RecordingHandler("prompt");
        var dispatcher = Dispatcher(fixture, TimeProvider.System, handler);

        (await dispatcher.DispatchDueAsync()).Should().Be(2);
        (await dispatcher.DispatchDueAsync()).Should().Be(0);

        var payloads = handler.Delivered.Select(m => JsonSerializer.Deserialize<PromptPayload>(m.Payload, JournalSerializer.Options)!).ToList();
        payloads.Select(p => p.ElementId).Should().Equal("P1", "P2");
        payloads.Should().OnlyContain(p => p.InstanceId == instance.Id && p.CustomerRef == "nasabah-7" && p.Text.Contains("masih terhubung"));
        handler.Delivered.Select(m => m.IdempotencyKey).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task DispatchDue_FailsMaxAttemptsTimes_BecomesADeadLetterThatIsKeptAndNoLongerTried()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        var rows = await CommitAsync(fixture, T0, "prompt");
        var handler = new RecordingHandler("prompt") { Failure = () => new HttpRequestException("channel down (503)") };
        var dispatcher = new OutboxDispatcher(OutboxStore(fixture), [handler], clock, NullLogger<OutboxDispatcher>.Instance, Options with { MaxAttempts = 3 });

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (await dispatcher.DispatchDueAsync()).Should().Be(0);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var store = OutboxStore(fixture);
        (await store.ListDueAsync(T0.AddYears(1), 100)).Should().BeEmpty("a dead letter is never due again by itself");
        var dead = (await store.ListDeadLetteredAsync(100)).Should().ContainSingle().Subject;
        dead.Id.Should().Be(rows[0].Id);
        dead.Attempts.Should().Be(3);
        dead.DeadLetteredAt.Should().Be(T0.AddMinutes(2), "the third failure, two minutes after the first, gave up");
        dead.LastError.Should().Be("channel down (503)");

        clock.Advance(TimeSpan.FromDays(1));
        (await dispatcher.DispatchDueAsync()).Should().Be(0);
        (await store.ListDeadLetteredAsync(100)).Single().Attempts.Should().Be(3, "nothing tried it again");
    }

    [Fact]
    public async Task Requeue_DeadLetterAfterTheCauseIsFixed_IsDeliveredOnTheNextPass()
    {
        await using var fixture = await StartAsync();
        var clock = new FakeTimeProvider(T0);
        var rows = await CommitAsync(fixture, T0, "prompt");
        var handler = new RecordingHandler("prompt") { Failure = () => new InvalidOperationException("no route") };
        var dispatcher = new OutboxDispatcher(OutboxStore(fixture), [handler], clock, NullLogger<OutboxDispatcher>.Instance, Options with { MaxAttempts = 1 });
        await dispatcher.DispatchDueAsync();
        var store = OutboxStore(fixture);
        (await store.ListDeadLetteredAsync(10)).Should().ContainSingle();
        (await store.CountDeadLetteredAsync()).Should().Be(1);

        handler.Failure = null;
        (await store.RequeueAsync(rows[0].Id, clock.GetUtcNow())).Should().BeTrue();
        (await store.RequeueAsync(rows[0].Id, clock.GetUtcNow())).Should().BeFalse("it is no longer a dead letter");
        (await store.RequeueAsync(Guid.NewGuid(), clock.GetUtcNow())).Should().BeFalse("an unknown id");

        (await dispatcher.DispatchDueAsync()).Should().Be(1);
        handler.Delivered.Select(m => m.Id).Should().Equal(rows[0].Id);
        (await store.ListDeadLetteredAsync(10)).Should().BeEmpty();
        (await store.CountDeadLetteredAsync()).Should().Be(0);
    }
}

public sealed class OutboxDispatcherOnSqliteTests() : OutboxDispatcherTests(DatabaseProvider.Sqlite);

public sealed class OutboxDispatcherOnPostgreSqlTests() : OutboxDispatcherTests(DatabaseProvider.PostgreSql);

using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Persistence.Tests;

public abstract class EfInstanceStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    [Fact]
    public async Task Counters_AddedByThisWriterAndAnother_AreSummedOnEveryRead()
    {
        // Each process adds to rows of its own (no lock shared between nodes); reads sum them.
        await using var db = await CreateDatabaseAsync();
        var hour = Build.T0;
        await db.Instances.ApplyReadModelsAsync(new ReadModelChanges
        {
            Counters = [new("conversations", "whatsapp", hour, 2), new("conversations", "whatsapp", hour, 1), new("conversations", "email", hour.AddHours(1), 4)],
        });
        var context = await db.Contexts.CreateDbContextAsync();
        await using (context)
        {
            context.ReadModelCounters.Add(new ReadModelCounterRow { Counter = "conversations", Dimension = "whatsapp", Bucket = hour, Writer = "another-node", Amount = 10 });
            await context.SaveChangesAsync();
            (await context.ReadModelCounters.CountAsync()).Should().Be(3, "this writer's whatsapp row, its email row and the other node's row");
        }

        (await db.Instances.SumCountersAsync("conversations", hour, hour.AddHours(2)))
            .Should().Equal(new ReadModelCounterTotal("email", 4), new ReadModelCounterTotal("whatsapp", 13));
        (await db.Instances.ListCountersAsync("conversations", hour, hour.AddHours(2)))
            .Should().Equal(new ReadModelCounterValue("whatsapp", hour, 13), new ReadModelCounterValue("email", hour.AddHours(1), 4));
        (await db.Instances.DumpCountersAsync()).Should().Equal(
            new ReadModelCounter("conversations", "email", hour.AddHours(1), 4),
            new ReadModelCounter("conversations", "whatsapp", hour, 13));
    }

    [Fact]
    public async Task CommitAsync_NewInstance_ReadsBackInstanceJournalTimersAndOutbox()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var timer = new TimerRecord(id, 7, "waitReply", Build.T0.AddMinutes(1));
        var message = Build.Message(id, 2);
        var commit = Build.Commit(id, 0, 3, armed: [timer], outbox: [message]);

        await db.Instances.CommitAsync(commit);

        var stored = await db.Instances.GetAsync(id);
        stored.Should().BeEquivalentTo(commit.Instance);
        stored!.PinnedVersions.Should().Equal(new Dictionary<string, int> { ["chat"] = 3, ["ticket"] = 1 });
        (await db.Instances.ReadJournalAsync(id)).Should().Equal(commit.Events);
        (await db.Instances.ListPendingTimersAsync()).Should().Equal(timer);
        (await db.Outbox.ListDueAsync(Build.T0, 10)).Should().ContainSingle().Which.Should().BeEquivalentTo(message);
    }

    [Fact]
    public async Task CommitAsync_NextCommit_AppendsJournalInOrderAndSwapsTimers()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var first = new TimerRecord(id, 1, "waitReply", Build.T0.AddMinutes(1));
        var second = new TimerRecord(id, 4, "waitReply2", Build.T0.AddMinutes(2));
        await db.Instances.CommitAsync(Build.Commit(id, 0, 3, armed: [first]));

        var next = Build.Commit(id, 3, 9, armed: [second], removed: [first.TimerId], instance: Build.Instance(id, 12, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) });
        await db.Instances.CommitAsync(next);

        var journal = await db.Instances.ReadJournalAsync(id);
        journal.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 12).Select(i => (long)i));
        journal.Should().EndWith(next.Events);
        (await db.Instances.ListPendingTimersAsync()).Should().Equal(second);
        var stored = await db.Instances.GetAsync(id);
        stored.Should().BeEquivalentTo(next.Instance);
        stored!.EndedAt.Should().Be(Build.T0.AddHours(1));
    }

    [Fact]
    public async Task CommitAsync_RemovingUnknownTimer_IsHarmless()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1));

        await db.Instances.CommitAsync(Build.Commit(id, 1, 1, removed: [99]));

        (await db.Instances.GetAsync(id))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task CommitAsync_StaleExpectedVersion_ThrowsConflictAndWritesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2));
        await db.Instances.CommitAsync(Build.Commit(id, 2, 1));

        var stale = Build.Commit(id, 2, 1, armed: [new TimerRecord(id, 3, "t", Build.T0)], outbox: [Build.Message(id, 3)]);
        var act = () => db.Instances.CommitAsync(stale);

        var conflict = (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.InstanceId.Should().Be(id);
        conflict.ExpectedVersion.Should().Be(2);
        conflict.Message.Should().Contain("decided on version 2").And.Contain("stored version is 3");
        (await db.Instances.GetAsync(id))!.Version.Should().Be(3);
        (await db.Instances.ReadJournalAsync(id)).Should().HaveCount(3);
        (await db.Instances.ListPendingTimersAsync()).Should().BeEmpty();
        (await db.Outbox.ListDueAsync(Build.T0.AddDays(1), 10)).Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_NewInstanceThatExists_ThrowsConflict()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2));

        var act = () => db.Instances.CommitAsync(Build.Commit(id, 0, 1));

        (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which.Message.Should().Contain("a new instance");
        (await db.Instances.ReadJournalAsync(id)).Should().HaveCount(2);
    }

    [Fact]
    public async Task CommitAsync_UnknownInstanceWithExpectedVersion_ThrowsConflict()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();

        var act = () => db.Instances.CommitAsync(Build.Commit(id, 4, 1));

        (await act.Should().ThrowAsync<ConcurrencyConflictException>()).Which.Message.Should().Contain("does not exist");
        (await db.Instances.GetAsync(id)).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task CommitAsync_TwoThreadsOnSameVersion_ExactlyOneWinsAndJournalHasNoGap(long decidedOn)
    {
        await using var db = await CreateDatabaseAsync();
        for (var round = 0; round < 10; round++)
        {
            var id = Guid.NewGuid();
            if (decidedOn > 0)
            {
                await db.Instances.CommitAsync(Build.Commit(id, 0, (int)decidedOn));
            }

            // Two commands decided on the same version, with different events and outbox rows.
            var a = Build.Commit(id, decidedOn, 2, outbox: [Build.Message(id, decidedOn + 1) with { IdempotencyKey = $"{id:N}:a" }]);
            var b = Build.Commit(id, decidedOn, 3, outbox: [Build.Message(id, decidedOn + 1) with { IdempotencyKey = $"{id:N}:b" }]);
            using var gate = new Barrier(2);
            var results = await Task.WhenAll(Run(a), Run(b));

            results.Count(r => r is null).Should().Be(1, "exactly one commit wins (round {0})", round);
            results.Count(r => r is ConcurrencyConflictException).Should().Be(1, "the other gets a conflict (round {0}): {1}", round, string.Join(", ", results));
            var winner = results[0] is null ? a : b;
            var journal = await db.Instances.ReadJournalAsync(id);
            journal.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, (int)winner.Instance.Version).Select(i => (long)i));
            journal.Should().EndWith(winner.Events);
            (await db.Instances.GetAsync(id))!.Version.Should().Be(winner.Instance.Version);
            (await db.Outbox.ListDueAsync(Build.T0, 100)).Where(o => o.InstanceId == id).Should().ContainSingle()
                .Which.IdempotencyKey.Should().Be(winner.Outbox[0].IdempotencyKey);

            Task<Exception?> Run(InstanceCommit commit) => Task.Run(async () =>
            {
                gate.SignalAndWait();
                try
                {
                    await db.Instances.CommitAsync(commit);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
            });
        }
    }

    [Fact]
    public async Task CommitAsync_ManyWritersOnOneInstance_JournalStaysContiguous()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1));
        var successes = 0;

        // Eight writers each load, decide and retry on conflict until they landed five commits.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var landed = 0; landed < 5;)
            {
                var current = (await db.Instances.GetAsync(id))!.Version;
                try
                {
                    await db.Instances.CommitAsync(Build.Commit(id, current, 1));
                    landed++;
                    Interlocked.Increment(ref successes);
                }
                catch (ConcurrencyConflictException)
                {
                }
            }
        })));

        successes.Should().Be(40);
        var journal = await db.Instances.ReadJournalAsync(id);
        journal.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 41).Select(i => (long)i));
        (await db.Instances.GetAsync(id))!.Version.Should().Be(41);
    }

    [Fact]
    public async Task CommitAsync_ManyAtOnce_ShareTransactions_AndAConflictFailsAlone()
    {
        await using var db = await CreateDatabaseAsync();
        var store = (EfInstanceStore)db.Instances;
        var taken = Guid.NewGuid();
        await store.CommitAsync(Build.Commit(taken, 0, 1));
        var before = store.WriteTransactions;

        // 200 new instances and, among them, 20 commits decided on a version that is not the stored one.
        var fresh = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        var writes = fresh.Select(id => (Stale: false, Task: store.CommitAsync(Build.Commit(id, 0, 2))))
            .Concat(Enumerable.Range(0, 20).Select(_ => (Stale: true, Task: store.CommitAsync(Build.Commit(taken, 0, 1)))))
            .ToList();
        await Task.WhenAll(writes.Select(async w => { try { await w.Task; } catch (ConcurrencyConflictException) { } }));

        writes.Where(w => !w.Stale).Should().OnlyContain(w => w.Task.IsCompletedSuccessfully);
        writes.Where(w => w.Stale).Should().OnlyContain(w => w.Task.Exception!.InnerException is ConcurrencyConflictException);
        foreach (var id in fresh)
        {
            (await store.ReadJournalAsync(id)).Should().HaveCount(2, "every good commit landed whole beside the failed ones");
        }

        (await store.ReadJournalAsync(taken)).Should().HaveCount(1, "nothing of a failed commit remains");
        (store.WriteTransactions - before).Should().BeLessThan(220, "commits that queue up share a transaction (group commit)");
    }

    [Fact]
    public async Task CommitAsync_InterleavedWithOtherWritesAndConflicts_EachLandsOrFailsAlone()
    {
        // On PostgreSQL a commit's savepoint goes in front of its batch and its release waits for the
        // next commit's; writes of other kinds (a timer deferred) open savepoints of their own in
        // between. Queued all at once they share transactions: every one must land or fail alone.
        await using var db = await CreateDatabaseAsync();
        var store = (EfInstanceStore)db.Instances;
        var taken = Guid.NewGuid();
        await store.CommitAsync(Build.Commit(taken, 0, 1));
        var waiting = new List<TimerRecord>();
        for (var i = 0; i < 30; i++)
        {
            var id = Guid.NewGuid();
            var timer = new TimerRecord(id, 1, "waitReply", Build.T0.AddMinutes(1));
            await store.CommitAsync(Build.Commit(id, 0, 1, armed: [timer]));
            waiting.Add(timer);
        }

        var fresh = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid()).ToList();
        var commits = new List<Task>();
        var stale = new List<Task>();
        var deferrals = new List<Task<bool>>();
        for (var i = 0; i < 60; i++)
        {
            commits.Add(store.CommitAsync(Build.Commit(fresh[i], 0, 2)));
            if (i % 2 == 0)
            {
                deferrals.Add(store.DeferAsync(waiting[i / 2], Build.T0.AddHours(1), 1));
            }

            if (i % 3 == 0)
            {
                stale.Add(store.CommitAsync(Build.Commit(taken, 0, 1)));
            }
        }

        await Task.WhenAll(commits.Concat(deferrals).Concat(stale).Select(async t => { try { await t; } catch (ConcurrencyConflictException) { } }));

        commits.Should().OnlyContain(t => t.IsCompletedSuccessfully);
        deferrals.Should().OnlyContain(t => t.IsCompletedSuccessfully && t.Result, "each deferral found its row");
        stale.Should().OnlyContain(t => t.Exception!.InnerException is ConcurrencyConflictException);
        foreach (var id in fresh)
        {
            (await store.ReadJournalAsync(id)).Should().HaveCount(2, "every good commit landed whole beside the failed ones and the deferrals");
        }

        (await store.ReadJournalAsync(taken)).Should().HaveCount(1, "nothing of a failed commit remains");
        (await store.ListPendingTimersAsync()).Should().OnlyContain(t => t.DueAt == Build.T0.AddHours(1) && t.Attempts == 1, "every deferral is kept");
    }

    [Fact]
    public async Task CommitAsync_FailureAfterInstanceRow_LeavesNothingBehind()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var armed = new TimerRecord(id, 1, "waitReply", Build.T0.AddMinutes(1));
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2, armed: [armed]));
        var failure = new FailAfterRowsWritten();
        await using var failing = db.InstanceStoreWith(failure.FailAsync);
        var newId = Guid.NewGuid();

        // An update (timer removed and armed, instance updated, events and outbox appended) ...
        var update = Build.Commit(id, 2, 2, armed: [new TimerRecord(id, 4, "w", Build.T0)], removed: [1], outbox: [Build.Message(id, 4)]);
        var updateAct = () => failing.CommitAsync(update);
        // ... and a new instance, both failing after their rows were written.
        var create = Build.Commit(newId, 0, 3, armed: [new TimerRecord(newId, 2, "w", Build.T0)], outbox: [Build.Message(newId, 3)]);
        var createAct = () => failing.CommitAsync(create);

        (await updateAct.Should().ThrowAsync<Exception>()).Which.Should().NotBeOfType<ConcurrencyConflictException>();
        (await createAct.Should().ThrowAsync<Exception>()).Which.Should().NotBeOfType<ConcurrencyConflictException>();
        // Inside the transaction, everything had been written (the old timer 1 removed, the new one added) ...
        failure.Seen.Should().Equal((4L, 4, 1, 1), (3L, 3, 1, 1));
        // ... and none of it is there after the failure.

        (await db.Instances.GetAsync(id)).Should().BeEquivalentTo(Build.Instance(id, 2));
        (await db.Instances.ReadJournalAsync(id)).Should().HaveCount(2);
        (await db.Instances.GetAsync(newId)).Should().BeNull();
        (await db.Instances.ReadJournalAsync(newId)).Should().BeEmpty();
        (await db.Instances.ListPendingTimersAsync()).Should().Equal(armed);
        (await db.Outbox.ListDueAsync(Build.T0.AddDays(1), 10)).Should().BeEmpty();

        // And the same commit lands once the failure is gone.
        await db.Instances.CommitAsync(update);
        (await db.Instances.GetAsync(id))!.Version.Should().Be(4);
    }

    [Fact]
    public async Task CommitAsync_EndingAnInstance_KeepsItsJournalAsOneSegment_ReadBackExactly()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var offset = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(7));
        // Text as the journal holds it: Indonesian, escapes, no actor on some rows.
        JournalRecord Event(long sequence) => new(id, sequence, sequence % 3 == 0 ? "prompt-sent@1" : "element-entered@1", offset.AddSeconds(sequence),
            sequence % 2 == 0 ? "agent.sari" : null, $$"""{"type":"x","sequence":{{sequence}},"text":"Apakah saat ini Bapak/Ibu masih terhubung dengan kami? \"ya\" – {{sequence}}"}""");
        await db.Instances.CommitAsync(Build.Commit(id, 0, 5) with { Events = [.. Enumerable.Range(1, 5).Select(i => Event(i))] });
        var written = Enumerable.Range(1, 7).Select(i => Event(i)).ToList();
        var ended = Build.Instance(id, 7, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) };

        await db.Instances.CommitAsync(new InstanceCommit { Instance = ended, ExpectedVersion = 5, Events = [Event(6), Event(7)] });
        await db.Instances.JournalsCompactedAsync();

        var journal = await db.Instances.ReadJournalAsync(id);
        journal.Should().Equal(written.Select(e => e with { At = e.At.ToUniversalTime() }), "every field reads back; instants in UTC as rows always did");
        journal.Select(e => e.Json).Should().Equal(written.Select(e => e.Json), "the JSON byte for byte");
        RowsAndSegments(db).Should().Be((0L, 1L));

        // A commit decided on the version before the end still conflicts.
        var stale = () => db.Instances.CommitAsync(new InstanceCommit { Instance = Build.Instance(id, 6), ExpectedVersion = 5, Events = [Event(6)] });
        await stale.Should().ThrowAsync<ConcurrencyConflictException>();
        // A later commit on the ended instance (a note) is kept with the rest, in order.
        await db.Instances.CommitAsync(new InstanceCommit { Instance = ended with { Version = 8 }, ExpectedVersion = 7, Events = [Event(8)] });
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 8).Select(i => (long)i));
        await db.Instances.JournalsCompactedAsync();
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 8).Select(i => (long)i));
        RowsAndSegments(db).Should().Be((0L, 1L));

        // Retention deletes the segment with the instance.
        (await db.Instances.DeleteAsync(id, 8)).Should().BeTrue();
        (await db.Instances.ReadJournalAsync(id)).Should().BeEmpty();
    }

    [Fact]
    public async Task Compaction_ThatReadAVersionTheInstanceMovedOnFrom_WritesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var ended = Build.Instance(id, 3, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) };
        var note = Build.Commit(id, 3, 1, instance: ended with { Version = 4 });
        // Another command (a note on the ended instance, by another node) commits after the
        // compaction read version 3; both stores compact only by hand here.
        await using var other = db.InstanceStoreWith((_, _) => Task.CompletedTask);
        var noted = false;
        await using var store = db.InstanceStoreWith(
            (_, _) => Task.CompletedTask,
            beforeCompactionWrite: async _ =>
            {
                if (!noted)
                {
                    noted = true;
                    await other.CommitAsync(note);
                }
            });
        await store.CommitAsync(Build.Commit(id, 0, 3, instance: ended));

        (await store.CompactJournalAsync(id, CancellationToken.None)).Should().BeFalse("the instance moved on to version 4 after the journal was read");

        RowsAndSegments(db).Should().Be((4L, 0L), "nothing of the compaction was written");
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(1L, 2L, 3L, 4L);
        (await store.CompactJournalAsync(id, CancellationToken.None)).Should().BeTrue("read again at version 4, nothing moved on");
        RowsAndSegments(db).Should().Be((0L, 1L));
        (await db.Instances.ReadJournalAsync(id)).Should().Equal([.. Build.Commit(id, 0, 3).Events, .. note.Events]);
    }

    [Fact]
    public async Task Compaction_InterruptedBetweenReadAndWrite_LeavesAReadableJournal_ThatTheNextStartCompacts()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var created = Build.Commit(id, 0, 3);
        var end = Build.Commit(id, 3, 2, instance: Build.Instance(id, 5, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) });
        JournalRecord[] written = [.. created.Events, .. end.Events];
        await using (var crashing = db.InstanceStoreWith(
            (_, _) => Task.CompletedTask,
            beforeCompactionWrite: _ => throw new InvalidOperationException("simulated crash after the journal was read and encoded")))
        {
            await crashing.CommitAsync(created);
            await crashing.CommitAsync(end);
            var compact = () => crashing.CompactJournalAsync(id, CancellationToken.None);
            await compact.Should().ThrowAsync<InvalidOperationException>();
            (await crashing.ReadJournalAsync(id)).Should().Equal(written);
        }

        RowsAndSegments(db).Should().Be((5L, 0L));
        (await db.Instances.ReadJournalAsync(id)).Should().Equal(written, "the rows are still the journal");

        // The next start: the store's first use finds the ended instance still holding rows.
        await using var next = db.InstanceStoreWith((_, _) => Task.CompletedTask, compacts: true);
        (await next.GetAsync(id))!.Version.Should().Be(5);
        await next.JournalsCompactedAsync();
        RowsAndSegments(db).Should().Be((0L, 1L));
        (await next.ReadJournalAsync(id)).Should().Equal(written, "the same journal, from its segment");
    }

    [Fact]
    public async Task ReadJournalAsync_RowsReadBeforeACompactionAndItsSegmentAfter_GivesEveryEventOnce()
    {
        // A read sees the rows, the compaction commits, the read sees the new segment: both at once
        // is what such a read finds (rows copied aside before the compaction and put back after it).
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var created = Build.Commit(id, 0, 3);
        var end = Build.Commit(id, 3, 2, instance: Build.Instance(id, 5, InstanceStatus.Completed) with { EndedAt = Build.T0.AddHours(1) });
        await using var store = db.InstanceStoreWith((_, _) => Task.CompletedTask);
        await store.CommitAsync(created);
        await store.CommitAsync(end);
        Execute(db, "CREATE TABLE journal_copy AS SELECT * FROM journal_events");
        (await store.CompactJournalAsync(id, CancellationToken.None)).Should().BeTrue();
        Execute(db, "INSERT INTO journal_events SELECT * FROM journal_copy");
        RowsAndSegments(db).Should().Be((5L, 1L));

        (await store.ReadJournalAsync(id)).Should().Equal([.. created.Events, .. end.Events]);
    }

    private static void Execute(TestDatabase db, string sql)
    {
        using var raw = db.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static (long Rows, long Segments) RowsAndSegments(TestDatabase db)
    {
        using var raw = db.OpenRaw();
        using var count = raw.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM journal_events), (SELECT COUNT(*) FROM journal_segments)";
        using var reader = count.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task CommitAsync_DuplicateIdempotencyKey_IsAnErrorNotAConflictAndWritesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        var other = Guid.NewGuid();
        var taken = Build.Message(other, 1);
        await db.Instances.CommitAsync(Build.Commit(other, 0, 1, outbox: [taken]));
        var id = Guid.NewGuid();

        var act = () => db.Instances.CommitAsync(Build.Commit(id, 0, 2, outbox: [Build.Message(id, 2) with { IdempotencyKey = taken.IdempotencyKey }]));

        await act.Should().ThrowAsync<System.Data.Common.DbException>();
        (await db.Instances.GetAsync(id)).Should().BeNull();
        (await db.Instances.ReadJournalAsync(id)).Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_SequenceGap_IsRejectedBeforeTheDatabase()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var gap = Build.Commit(id, 0, 2) with { Events = [Build.Event(id, 1), Build.Event(id, 3)] };
        var wrongVersion = Build.Commit(id, 0, 2, instance: Build.Instance(id, 5));
        var foreignEvent = Build.Commit(id, 0, 1) with { Events = [Build.Event(Guid.NewGuid(), 1)] };

        await FluentActions.Awaiting(() => db.Instances.CommitAsync(gap)).Should().ThrowAsync<ArgumentException>().WithMessage("*sequence 3, expected 2*");
        await FluentActions.Awaiting(() => db.Instances.CommitAsync(wrongVersion)).Should().ThrowAsync<ArgumentException>().WithMessage("*version 5*");
        await FluentActions.Awaiting(() => db.Instances.CommitAsync(foreignEvent)).Should().ThrowAsync<ArgumentException>().WithMessage("*belongs to instance*");
        (await db.Instances.GetAsync(id)).Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_FiltersByStatusAgentChannelDefinitionAndStartDate()
    {
        await using var db = await CreateDatabaseAsync();
        var day = Build.T0;
        var rows = new[]
        {
            Build.Instance(Guid.NewGuid(), 1, InstanceStatus.Running, "whatsapp", "agent.sari", day),
            Build.Instance(Guid.NewGuid(), 1, InstanceStatus.Running, "live-chat", "agent.sari", day.AddHours(1)),
            Build.Instance(Guid.NewGuid(), 1, InstanceStatus.Completed, "whatsapp", "agent.budi", day.AddDays(1)),
            Build.Instance(Guid.NewGuid(), 1, InstanceStatus.Running, "ticket", null, day.AddDays(2), "ticket"),
        };
        foreach (var row in rows)
        {
            await db.Instances.CommitAsync(Build.Commit(row.Id, 0, 1, instance: row));
        }

        (await Ids(new InstanceQuery())).Should().Equal(rows[3].Id, rows[2].Id, rows[1].Id, rows[0].Id);
        (await Ids(new InstanceQuery { Status = InstanceStatus.Running })).Should().Equal(rows[3].Id, rows[1].Id, rows[0].Id);
        (await Ids(new InstanceQuery { Agent = "agent.sari" })).Should().Equal(rows[1].Id, rows[0].Id);
        (await Ids(new InstanceQuery { Channel = "whatsapp" })).Should().Equal(rows[2].Id, rows[0].Id);
        (await Ids(new InstanceQuery { DefinitionKey = "ticket" })).Should().Equal(rows[3].Id);
        (await Ids(new InstanceQuery { StartedFrom = day.AddHours(1), StartedTo = day.AddDays(2) })).Should().Equal(rows[2].Id, rows[1].Id);
        (await Ids(new InstanceQuery { Channel = "whatsapp", Status = InstanceStatus.Running, Agent = "agent.sari" })).Should().Equal(rows[0].Id);
        (await Ids(new InstanceQuery { Limit = 2 })).Should().Equal(rows[3].Id, rows[2].Id);
        (await Ids(new InstanceQuery { Status = InstanceStatus.Faulted })).Should().BeEmpty();

        async Task<IEnumerable<Guid>> Ids(InstanceQuery query) => (await db.Instances.QueryAsync(query)).Select(r => r.Id);
    }

    [Fact]
    public async Task QueryAsync_StartDatesInOtherOffsets_CompareAsInstants()
    {
        await using var db = await CreateDatabaseAsync();
        var jakarta = TimeSpan.FromHours(7);
        // 14:00 +07:00 is 07:00 UTC: earlier than 08:00 UTC although its local hour is later.
        var early = Build.Instance(Guid.NewGuid(), 1, startedAt: new DateTimeOffset(2026, 3, 2, 14, 0, 0, jakarta));
        var late = Build.Instance(Guid.NewGuid(), 1, startedAt: new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await db.Instances.CommitAsync(Build.Commit(early.Id, 0, 1, instance: early));
        await db.Instances.CommitAsync(Build.Commit(late.Id, 0, 1, instance: late));

        var all = await db.Instances.QueryAsync(new InstanceQuery());
        var before = await db.Instances.QueryAsync(new InstanceQuery { StartedTo = new DateTimeOffset(2026, 3, 2, 14, 30, 0, jakarta) });

        all.Select(r => r.Id).Should().Equal(late.Id, early.Id);
        before.Select(r => r.Id).Should().Equal(early.Id);
        all[1].StartedAt.Should().Be(early.StartedAt, "the same instant, read back in UTC");
        all[1].StartedAt.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task ListPendingTimersAsync_AcrossInstances_SoonestFirst()
    {
        await using var db = await CreateDatabaseAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var t1 = new TimerRecord(a, 1, "w", Build.T0.AddMinutes(3));
        var t2 = new TimerRecord(b, 1, "w", Build.T0.AddMinutes(1));
        var t3 = new TimerRecord(a, 2, "w", Build.T0.AddMinutes(2));
        await db.Instances.CommitAsync(Build.Commit(a, 0, 1, armed: [t1, t3]));
        await db.Instances.CommitAsync(Build.Commit(b, 0, 1, armed: [t2]));

        (await db.Instances.ListPendingTimersAsync()).Should().Equal(t2, t3, t1);
    }

    [Fact]
    public async Task GetAsync_Unknown_ReturnsNullAndEmptyJournal()
    {
        await using var db = await CreateDatabaseAsync();

        (await db.Instances.GetAsync(Guid.NewGuid())).Should().BeNull();
        (await db.Instances.ReadJournalAsync(Guid.NewGuid())).Should().BeEmpty();
    }

    [Fact]
    public async Task Reads_OnConnectionsKeptOpen_SeeWhatAnotherWriterCommittedSince()
    {
        await using var db = await CreateDatabaseAsync();
        await using var otherProcess = db.InstanceStoreWith((_, _) => Task.CompletedTask);
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2));
        (await db.Instances.GetAsync(id))!.Version.Should().Be(2);
        (await db.Instances.ReadJournalAsync(id)).Should().HaveCount(2);

        // The same kept-open connections (a read at a time here, so the one session is reused).
        await otherProcess.CommitAsync(Build.Commit(id, 2, 3));

        (await db.Instances.GetAsync(id))!.Version.Should().Be(5);
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Reads_AfterACancelledRead_StillWork()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1));

        var cancelled = () => db.Instances.GetAsync(id, new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();

        (await db.Instances.GetAsync(id))!.Version.Should().Be(1);
        (await db.Instances.ReadJournalAsync(id)).Should().ContainSingle();
    }

    /// <summary>
    /// Fails after the store has written every row of the commit inside its transaction, before
    /// the transaction commits; notes what the transaction could see at that moment.
    /// </summary>
    private sealed class FailAfterRowsWritten
    {
        public List<(long? Version, int Events, int Timers, int Outbox)> Seen { get; } = [];

        public async Task FailAsync(ContactCenterDbContext context, InstanceCommit commit)
        {
            var id = commit.Instance.Id;
            Seen.Add((
                await context.Instances.AsNoTracking().Where(i => i.Id == id).Select(i => (long?)i.Version).SingleOrDefaultAsync(),
                await context.JournalEvents.CountAsync(e => e.InstanceId == id),
                await context.PendingTimers.CountAsync(t => t.InstanceId == id),
                await context.Outbox.CountAsync(o => o.InstanceId == id)));
            throw new InvalidOperationException("simulated failure after every row was written, before the commit");
        }
    }
}

public sealed class EfInstanceStoreOnSqliteTests() : EfInstanceStoreTests(DatabaseProvider.Sqlite);

public sealed class EfInstanceStoreOnPostgreSqlTests() : EfInstanceStoreTests(DatabaseProvider.PostgreSql);

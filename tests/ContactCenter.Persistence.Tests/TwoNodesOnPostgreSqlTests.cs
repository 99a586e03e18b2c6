using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Npgsql;
using Xunit;

namespace ContactCenter.Persistence.Tests;

/// <summary>
/// Two stores on one PostgreSQL database, each with its own write queue and connections: two
/// nodes. Their commits are kept apart by the database (the version check, the journal's key, row
/// locks), not by a queue they share.
/// </summary>
public sealed class TwoNodesOnPostgreSqlTests
{
    [Fact]
    public async Task CommitAsync_TwoNodesOnOneInstanceAtOnce_OneWins_TheOtherConflicts_NothingOfItWritten()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var id = Guid.NewGuid();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 2));
        var firstWroteRows = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var nodeA = db.InstanceStoreWith(async (_, _) =>
        {
            firstWroteRows.TrySetResult();
            await release.Task;
        });
        await using var nodeB = db.InstanceStoreWith((_, _) => Task.CompletedTask);

        // Node A has updated the row (it holds its lock) and not committed; node B commits on the same version.
        var a = nodeA.CommitAsync(Build.Commit(id, 2, 1, outbox: [Build.Message(id, 3)]));
        await firstWroteRows.Task;
        var b = nodeB.CommitAsync(Build.Commit(id, 2, 2, outbox: [Build.Message(id, 4)]));
        await WaitUntilABackendWaitsForALockAsync(db);
        release.SetResult();

        await a;
        var conflict = (await FluentActions.Awaiting(() => b).Should().ThrowAsync<ConcurrencyConflictException>()).Which;
        conflict.InstanceId.Should().Be(id);
        conflict.Message.Should().Contain("stored version is 3");
        (await db.Instances.GetAsync(id))!.Version.Should().Be(3);
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(1, 2, 3);
        (await db.Outbox.ListDueAsync(Build.T0.AddDays(1), 10)).Select(o => o.IdempotencyKey).Should().Equal($"{id:N}:3");
    }

    [Fact]
    public async Task CommitAsync_TwoNodesStartingOneInstance_OneWins_TheOtherConflicts()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var id = Guid.NewGuid();
        var firstWroteRows = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var nodeA = db.InstanceStoreWith(async (_, _) =>
        {
            firstWroteRows.TrySetResult();
            await release.Task;
        });
        await using var nodeB = db.InstanceStoreWith((_, _) => Task.CompletedTask);

        var a = nodeA.CommitAsync(Build.Commit(id, 0, 2));
        await firstWroteRows.Task;
        var b = nodeB.CommitAsync(Build.Commit(id, 0, 1));
        await WaitUntilABackendWaitsForALockAsync(db); // B's insert waits on A's uncommitted key
        release.SetResult();

        await a;
        (await FluentActions.Awaiting(() => b).Should().ThrowAsync<ConcurrencyConflictException>())
            .Which.Message.Should().Contain("decided on a new instance");
        (await db.Instances.ReadJournalAsync(id)).Select(e => e.Sequence).Should().Equal(1, 2);
    }

    [Fact]
    public async Task CommitAsync_ManyCommandsThroughTwoNodes_EveryAcknowledgedEventKept_SequencesGapless()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var other = db.InstanceStoreWith((_, _) => Task.CompletedTask);
        EfInstanceStore[] nodes = [db.Instances, other];
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await db.Instances.CommitAsync(Build.Commit(id, 0, 1));
        }

        var acknowledged = 0L;
        var conflicts = 0L;
        // Each worker appends to a random instance through a random node, on the version it read.
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var node = nodes[i % 2];
            var id = ids[i % ids.Count];
            var version = (await node.GetAsync(id, ct))!.Version;
            try
            {
                await node.CommitAsync(Build.Commit(id, version, 1), ct);
                Interlocked.Increment(ref acknowledged);
            }
            catch (ConcurrencyConflictException)
            {
                Interlocked.Increment(ref conflicts);
            }
        });

        (acknowledged + conflicts).Should().Be(400, "every command is acknowledged or told of a conflict, none fails otherwise");
        var kept = 0;
        foreach (var id in ids)
        {
            var journal = await db.Instances.ReadJournalAsync(id);
            journal.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n));
            (await db.Instances.GetAsync(id))!.Version.Should().Be(journal.Count);
            kept += journal.Count - 1;
        }

        kept.Should().Be((int)acknowledged, "every acknowledged commit is in a journal, nothing else is");
    }

    [Fact]
    public async Task ClaimDueAsync_SkipsRowsAnotherNodeHoldsLocked_InsteadOfWaiting()
    {
        var (db, messages) = await DatabaseWithMessagesAsync(4);
        await using var _ = db;

        // Another node is in the middle of claiming the two oldest rows.
        await using var otherNode = (NpgsqlConnection)db.OpenRaw();
        await using var claiming = await otherNode.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("SELECT position FROM outbox ORDER BY created_at, position LIMIT 2 FOR UPDATE", otherNode, claiming))
        {
            await lockRows.ExecuteNonQueryAsync();
        }

        var claimed = await db.Outbox.ClaimDueAsync(Build.T0.AddMinutes(1), Build.T0.AddMinutes(3), 10).WaitAsync(TimeSpan.FromSeconds(30));

        claimed.Select(o => o.Id).Should().Equal(messages[2].Id, messages[3].Id);
    }

    [Fact]
    public async Task ClaimDueAsync_TakesDueRowsOldestFirst_AndKeepsThemFromOthersUntilTheClaimLapses()
    {
        var (db, messages) = await DatabaseWithMessagesAsync(5);
        await using var _ = db;
        var now = Build.T0.AddMinutes(1);
        var until = now.AddMinutes(2);

        var first = await db.Outbox.ClaimDueAsync(now, until, 3);
        var second = await db.OtherOutbox().ClaimDueAsync(now, until, 10);

        first.Select(o => o.Id).Should().Equal(messages.Take(3).Select(m => m.Id));
        first.Should().OnlyContain(o => o.NextAttemptAt == until && o.Attempts == 0, "a claim is not an attempt");
        second.Select(o => o.Id).Should().Equal(messages.Skip(3).Select(m => m.Id), "another dispatcher gets the rest, not the claimed ones");
        (await db.Outbox.ClaimDueAsync(now, until, 10)).Should().BeEmpty();
        await db.Outbox.MarkDeliveredAsync(messages[0].Id, now);
        (await db.Outbox.ClaimDueAsync(until, until.AddMinutes(2), 10)).Select(o => o.Id)
            .Should().Equal(messages.Skip(1).Select(m => m.Id), "a claimant that never reported leaves its rows to the next once the claim lapsed");
    }

    [Fact]
    public async Task ClaimDueAsync_TwoStoresRacing_TakeEachMessageOnce()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var all = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var id = Guid.NewGuid();
            var messages = Enumerable.Range(1, 10).Select(n => Build.Message(id, n)).ToList();
            await db.Instances.CommitAsync(Build.Commit(id, 0, 1, outbox: messages));
            all.AddRange(messages.Select(m => m.Id));
        }

        var now = Build.T0.AddMinutes(1);
        async Task<List<Guid>> DrainAsync(IOutboxStore node)
        {
            var taken = new List<Guid>();
            while (await node.ClaimDueAsync(now, now.AddMinutes(2), 7) is { Count: > 0 } batch)
            {
                taken.AddRange(batch.Select(o => o.Id));
            }

            return taken;
        }

        var nodes = await Task.WhenAll(Task.Run(() => DrainAsync(db.Outbox)), Task.Run(() => DrainAsync(db.OtherOutbox())), Task.Run(() => DrainAsync(db.OtherOutbox())));

        nodes.SelectMany(n => n).Should().OnlyHaveUniqueItems("no message is taken by two dispatchers").And.BeEquivalentTo(all);
    }

    /// <summary>A fresh PostgreSQL database with one instance's <paramref name="count"/> outbox messages, a second apart, oldest first.</summary>
    private static async Task<(TestDatabase Db, List<OutboxRecord> Messages)> DatabaseWithMessagesAsync(int count)
    {
        var db = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        var id = Guid.NewGuid();
        var messages = Enumerable.Range(1, count).Select(i => Build.Message(id, i, Build.T0.AddSeconds(i))).ToList();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1, outbox: messages));
        return (db, messages);
    }

    /// <summary>Waits until some backend of the database waits for a row or transaction lock (the second node blocked behind the first).</summary>
    private static async Task WaitUntilABackendWaitsForALockAsync(TestDatabase db)
    {
        await using var connection = (NpgsqlConnection)db.OpenRaw();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((long)(await command.ExecuteScalarAsync(timeout.Token))! == 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

public abstract class EfOutboxStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    [Fact]
    public async Task ListDueAsync_ReturnsUndeliveredDueRowsOldestFirstInCommitOrder()
    {
        await using var db = await CreateDatabaseAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        // Twelve rows in one commit (same created_at): their order must survive, 10 after 9 included.
        var many = Enumerable.Range(1, 12).Select(i => Build.Message(a, i, Build.T0.AddMinutes(1))).ToList();
        var older = Build.Message(b, 1, Build.T0);
        var later = Build.Message(b, 2, Build.T0.AddMinutes(5));
        await db.Instances.CommitAsync(Build.Commit(a, 0, 12, outbox: many));
        await db.Instances.CommitAsync(Build.Commit(b, 0, 2, outbox: [later, older]));

        var due = await db.Outbox.ListDueAsync(Build.T0.AddMinutes(2), 100);

        due.Select(o => o.Id).Should().Equal([older.Id, .. many.Select(m => m.Id)]);
        (await db.Outbox.ListDueAsync(Build.T0.AddMinutes(2), 3)).Select(o => o.Id).Should().Equal(older.Id, many[0].Id, many[1].Id);
        (await db.Outbox.ListDueAsync(Build.T0.AddMinutes(5), 100)).Should().HaveCount(14);
        (await db.Outbox.ListDueAsync(Build.T0.AddSeconds(-1), 100)).Should().BeEmpty();
    }

    [Fact]
    public async Task MarkDeliveredAsync_RowIsNoLongerDueAndKeepsFirstDeliveryTime()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var message = Build.Message(id, 1);
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1, outbox: [message, Build.Message(id, 2)]));

        await db.Outbox.MarkDeliveredAsync(message.Id, Build.T0.AddSeconds(2));
        await db.Outbox.MarkDeliveredAsync(message.Id, Build.T0.AddSeconds(9));
        await db.Outbox.MarkDeliveredAsync(Guid.NewGuid(), Build.T0);

        var due = await db.Outbox.ListDueAsync(Build.T0.AddDays(1), 10);
        due.Should().ContainSingle().Which.IdempotencyKey.Should().Be($"{id:N}:2");
        (await DeliveredAt(db, message.Id)).Should().Be(Build.T0.AddSeconds(2));
    }

    [Fact]
    public async Task MarkFailedAsync_RecordsAttemptAndDefersUntilNextAttempt()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var message = Build.Message(id, 1);
        await db.Instances.CommitAsync(Build.Commit(id, 0, 1, outbox: [message]));
        var retryAt = Build.T0.AddSeconds(30);

        await db.Outbox.MarkFailedAsync(message.Id, 1, retryAt, "connector timeout");

        (await db.Outbox.ListDueAsync(retryAt.AddTicks(-1), 10)).Should().BeEmpty();
        var due = (await db.Outbox.ListDueAsync(retryAt, 10)).Should().ContainSingle().Subject;
        due.Attempts.Should().Be(1);
        due.NextAttemptAt.Should().Be(retryAt);
        due.LastError.Should().Be("connector timeout");
        due.DeliveredAt.Should().BeNull();

        await db.Outbox.MarkFailedAsync(message.Id, 2, retryAt.AddMinutes(1), "still down");
        await db.Outbox.MarkDeliveredAsync(message.Id, retryAt.AddMinutes(1));
        await db.Outbox.MarkFailedAsync(message.Id, 3, retryAt.AddMinutes(2), "late report of an old attempt");

        (await db.Outbox.ListDueAsync(retryAt.AddDays(1), 10)).Should().BeEmpty();
        (await DeliveredAt(db, message.Id)).Should().Be(retryAt.AddMinutes(1));
    }

    [Fact]
    public async Task ClaimDueAsync_TakesDueRowsOldestFirst_AtMostAsMany_LeasedOnlyWhereSeveralNodesDispatch()
    {
        await using var db = await CreateDatabaseAsync();
        var id = Guid.NewGuid();
        var messages = Enumerable.Range(1, 5).Select(i => Build.Message(id, i, Build.T0.AddSeconds(i))).ToList();
        await db.Instances.CommitAsync(Build.Commit(id, 0, 5, outbox: messages));
        var now = Build.T0.AddMinutes(1);

        var claimed = await db.Outbox.ClaimDueAsync(now, now.AddMinutes(2), 3);

        claimed.Select(o => o.Id).Should().Equal(messages.Take(3).Select(m => m.Id));
        claimed.Should().OnlyContain(o => o.Attempts == 0, "a claim is not an attempt");
        // PostgreSQL: leased until the claim ends, so other nodes take the rest. SQLite, one node:
        // still due, so a restart after a crash delivers them at once.
        (await db.Outbox.ListDueAsync(now, 10)).Select(o => o.Id).Should().Equal(
            Provider == DatabaseProvider.PostgreSql ? messages.Skip(3).Select(m => m.Id) : messages.Select(m => m.Id));
        await db.Outbox.ReleaseClaimAsync([.. claimed.Select(o => o.Id)], now.AddMinutes(2), now);
        (await db.Outbox.ListDueAsync(now, 10)).Should().HaveCount(5, "a released claim is due again");
    }

    private static async Task<DateTimeOffset?> DeliveredAt(TestDatabase db, Guid id)
    {
        await using var context = await db.Contexts.CreateDbContextAsync();
        return context.Outbox.Single(o => o.Id == id).DeliveredAt;
    }
}

public sealed class EfOutboxStoreOnSqliteTests() : EfOutboxStoreTests(DatabaseProvider.Sqlite);

public sealed class EfOutboxStoreOnPostgreSqlTests() : EfOutboxStoreTests(DatabaseProvider.PostgreSql);

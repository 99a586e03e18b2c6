using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Persistence.Tests;

public abstract class EfNotificationStoreTests(DatabaseProvider provider) : OnEachProvider(provider)
{
    private static readonly string TeamLeader = NotificationAudience.Role("TeamLeader");
    private static readonly string Tier2 = NotificationAudience.Role("Tier2");

    private static NotificationRecord Notice(Guid? id = null, DateTimeOffset? at = null, params string[] audience) => new()
    {
        Id = id ?? Guid.NewGuid(),
        Kind = "slaAlert",
        Title = "Kirim peringatan SLA",
        Text = "Periksa tiket ini dan tindak lanjuti sesuai SLA yang berlaku.",
        InstanceId = Guid.NewGuid(),
        Reference = "6281300000005",
        Audience = audience.Length == 0 ? [TeamLeader] : audience,
        CreatedAt = at ?? Build.T0,
    };

    [Fact]
    public async Task AddAsync_SameIdTwice_StoresOneAndSaysSo()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfNotificationStore(db.Contexts);
        var notice = Notice();

        (await store.AddAsync(notice)).Should().BeTrue();
        (await store.AddAsync(notice with { Title = "a redelivery" })).Should().BeFalse("the id is the outbox message's: a redelivery adds nothing");

        var listed = await store.ListAsync([TeamLeader], Build.T0, 10);
        listed.Should().ContainSingle().Which.Should().BeEquivalentTo(notice);
    }

    [Fact]
    public async Task AddAsync_TableGone_Throws()
    {
        await using var db = await CreateDatabaseAsync();
        using (var raw = db.OpenRaw())
        using (var drop = raw.CreateCommand())
        {
            drop.CommandText = "DROP TABLE notifications";
            drop.ExecuteNonQuery();
        }

        var add = () => new EfNotificationStore(db.Contexts).AddAsync(Notice());

        await add.Should().ThrowAsync<Exception>("a notice that could not be stored must fail its outbox delivery, not vanish");
    }

    [Fact]
    public async Task ListAsync_ShowsOnlyWhatTheReadersPrincipalsAreIn_NewestFirst()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfNotificationStore(db.Contexts);
        var gadai = NotificationAudience.Group("Divisi Gadai");
        var forLeaders = Notice(at: Build.T0, audience: [TeamLeader]);
        var forTier2AndLeaders = Notice(at: Build.T0.AddMinutes(1), audience: [TeamLeader, Tier2]);
        var forGadai = Notice(at: Build.T0.AddMinutes(2), audience: [TeamLeader, gadai]);
        var forSari = Notice(at: Build.T0.AddMinutes(3), audience: [TeamLeader, NotificationAudience.User("agent.sari")]);
        foreach (var n in new[] { forLeaders, forTier2AndLeaders, forGadai, forSari })
        {
            await store.AddAsync(n);
        }

        (await store.ListAsync([TeamLeader, NotificationAudience.User("leader.rina")], Build.T0, 10)).Select(n => n.Id)
            .Should().Equal(forSari.Id, forGadai.Id, forTier2AndLeaders.Id, forLeaders.Id);
        (await store.ListAsync([Tier2, NotificationAudience.User("tier2.dewi")], Build.T0, 10)).Select(n => n.Id).Should().Equal(forTier2AndLeaders.Id);
        (await store.ListAsync([NotificationAudience.Role("RelatedTeam"), NotificationAudience.Group(" divisi gadai ")], Build.T0, 10)).Select(n => n.Id)
            .Should().Equal([forGadai.Id], "a unit is compared without case or surrounding blanks");
        (await store.ListAsync([NotificationAudience.Role("Agent"), NotificationAudience.User("Agent.Sari")], Build.T0, 10)).Select(n => n.Id).Should().Equal(forSari.Id);
        (await store.ListAsync([NotificationAudience.Role("Agent"), NotificationAudience.User("agent.budi")], Build.T0, 10)).Should().BeEmpty();
        (await store.ListAsync([], Build.T0, 10)).Should().BeEmpty();
        (await store.ListAsync([TeamLeader], Build.T0, 2)).Should().HaveCount(2);
    }

    [Fact]
    public async Task AcknowledgeAsync_FirstStands_SecondIsAlreadyAcknowledged_UnknownIsNotFound()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfNotificationStore(db.Contexts);
        var notice = Notice();
        await store.AddAsync(notice);

        (await store.AcknowledgeAsync(notice.Id, "leader.rina", Build.T0.AddMinutes(5))).Should().Be(AcknowledgeOutcome.Acknowledged);
        (await store.AcknowledgeAsync(notice.Id, "tier2.dewi", Build.T0.AddMinutes(6))).Should().Be(AcknowledgeOutcome.AlreadyAcknowledged);
        (await store.AcknowledgeAsync(Guid.NewGuid(), "leader.rina", Build.T0)).Should().Be(AcknowledgeOutcome.NotFound);

        var stored = await store.GetAsync(notice.Id);
        stored!.AcknowledgedBy.Should().Be("leader.rina");
        stored.AcknowledgedAt.Should().Be(Build.T0.AddMinutes(5));
    }

    [Fact]
    public async Task ListAsync_AcknowledgedOnesShowOnlyWhileRecent_WaitingOnesWhateverTheirAge()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfNotificationStore(db.Contexts);
        var old = Notice(at: Build.T0.AddDays(-30));
        var acknowledged = Notice(at: Build.T0);
        await store.AddAsync(old);
        await store.AddAsync(acknowledged);
        await store.AcknowledgeAsync(acknowledged.Id, "leader.rina", Build.T0.AddHours(1));

        (await store.ListAsync([TeamLeader], Build.T0.AddHours(1), 10)).Select(n => n.Id).Should().Equal(acknowledged.Id, old.Id);
        (await store.ListAsync([TeamLeader], Build.T0.AddHours(1).AddTicks(1), 10)).Select(n => n.Id).Should().Equal(old.Id);
    }

    [Fact]
    public async Task DeleteAcknowledgedBeforeAsync_RemovesOnlyAcknowledgedOlderThanTheCutoff()
    {
        await using var db = await CreateDatabaseAsync();
        var store = new EfNotificationStore(db.Contexts);
        var waiting = Notice(at: Build.T0.AddDays(-90));
        var acknowledgedLongAgo = Notice(at: Build.T0.AddDays(-60));
        var acknowledgedLately = Notice(at: Build.T0.AddDays(-60));
        foreach (var n in new[] { waiting, acknowledgedLongAgo, acknowledgedLately })
        {
            await store.AddAsync(n);
        }

        await store.AcknowledgeAsync(acknowledgedLongAgo.Id, "leader.rina", Build.T0.AddDays(-40));
        await store.AcknowledgeAsync(acknowledgedLately.Id, "leader.rina", Build.T0.AddDays(-1));

        (await store.DeleteAcknowledgedBeforeAsync(Build.T0.AddDays(-30), 100)).Should().Be(1);

        (await store.GetAsync(acknowledgedLongAgo.Id)).Should().BeNull();
        (await store.GetAsync(waiting.Id)).Should().NotBeNull("a notice nobody acknowledged stays, whatever its age");
        (await store.GetAsync(acknowledgedLately.Id)).Should().NotBeNull();
    }
}

public sealed class EfNotificationStoreOnSqliteTests() : EfNotificationStoreTests(DatabaseProvider.Sqlite);

public sealed class EfNotificationStoreOnPostgreSqlTests() : EfNotificationStoreTests(DatabaseProvider.PostgreSql);

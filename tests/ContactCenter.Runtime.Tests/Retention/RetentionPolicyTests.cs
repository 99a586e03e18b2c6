using ContactCenter.Persistence;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Retention;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Retention;

/// <summary>Retention on the real SQLite store: whole histories archived or purged after N days, never a running one, and archives that replay.</summary>
public abstract class RetentionPolicyTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Default_KeepsEverything()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(T0);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var ended = await EndedConversationAsync(fixture);
        clock.Advance(TimeSpan.FromDays(4000));

        var result = await fixture.Host!.Services.GetRequiredService<RetentionPolicy>().ApplyAsync();

        result.Should().Be(new RetentionResult(0, 0, 0));
        (await fixture.Store.GetAsync(ended.Id)).Should().NotBeNull();
    }

    [Fact]
    public async Task Archive_AfterKeepDays_WritesTheJournalThatReplays_AndDeletesTheWholeHistory_ButNeverARunningOne()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(T0);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var ended = await EndedConversationAsync(fixture);
        var running = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "email", Channel = "email", CustomerRef = "b@example.com", Agent = "agent.sari" });
        var original = await fixture.Runtime.ReadJournalAsync(ended.Id);
        var archive = Path.Combine(fixture.Root, "archive");
        var policy = Policy(fixture, clock, new RetentionOptions { KeepDays = 30, ArchiveFolder = archive });

        clock.Advance(TimeSpan.FromDays(29));
        (await policy.ApplyAsync()).Archived.Should().Be(0, "not yet 30 days old");

        clock.Advance(TimeSpan.FromDays(2));
        (await policy.ApplyAsync()).Should().Be(new RetentionResult(1, 0, 0));

        (await fixture.Store.GetAsync(ended.Id)).Should().BeNull();
        (await fixture.Store.ReadJournalAsync(ended.Id)).Should().BeEmpty("nothing of the history is left behind");
        (await fixture.Store.GetAsync(running.Id)).Should().NotBeNull("a running conversation is kept whatever its age");
        var file = await File.ReadAllTextAsync(Path.Combine(archive, $"{ended.Id}.jsonl"));
        JournalSerializer.FromJsonLines(file).Should().HaveCount(original.Count);
        var replay = await fixture.Host!.Services.GetRequiredService<InstanceReplayer>().VerifyExportAsync(file);
        replay.Matches.Should().BeTrue("an archived history still replays exactly");
        File.Exists(Path.Combine(archive, $"{ended.Id}.instance.json")).Should().BeTrue();
    }

    [Fact]
    public async Task Purge_KeepsAHistoryWithAMessageStillToDeliver_UntilItIsDelivered()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(T0);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var chat = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", CustomerRef = "c-9", Agent = "agent.sari" });
        await fixture.Runtime.CompleteWorkItemAsync(chat.Id, (await fixture.Runtime.GetStateAsync(chat.Id)).WorkItems[0].Id, null, null, "agent.sari");
        var silence = (await fixture.Runtime.GetStateAsync(chat.Id)).Timers[0];
        clock.SetUtcNow(silence.DueAt);
        await fixture.Runtime.FireAsync(chat.Id, silence.Id);
        // The agent asks "masih terhubung?" (step 2a): the flow sends the words, a prompt in the outbox.
        await fixture.Runtime.CompleteWorkItemAsync(chat.Id, (await fixture.Runtime.GetStateAsync(chat.Id)).WorkItems.Single(w => w.Step == "2a").Id, null, null, "agent.sari");
        await fixture.Runtime.CancelAsync(chat.Id, "tes", "agent.sari");
        var outbox = fixture.Host!.Services.GetRequiredService<IOutboxStore>();
        var waiting = (await outbox.ListDueAsync(DateTimeOffset.MaxValue, 100)).Where(o => o.InstanceId == chat.Id).ToList();
        waiting.Should().ContainSingle(o => o.Kind == "prompt", "the silence prompt has no handler in this test and waits");
        var policy = Policy(fixture, clock, new RetentionOptions { KeepDays = 0, Mode = RetentionMode.Purge });
        clock.Advance(TimeSpan.FromDays(1));

        (await policy.ApplyAsync()).Should().Be(new RetentionResult(0, 0, 1));
        (await fixture.Store.GetAsync(chat.Id)).Should().NotBeNull();

        foreach (var message in waiting)
        {
            await outbox.MarkDeliveredAsync(message.Id, clock.GetUtcNow());
        }

        (await policy.ApplyAsync()).Should().Be(new RetentionResult(0, 1, 0));
        (await fixture.Store.GetAsync(chat.Id)).Should().BeNull();
    }

    [Fact]
    public async Task Archive_WithoutAFolder_IsAConfigurationError()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(T0);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));

        await FluentActions.Awaiting(() => Policy(fixture, clock, new RetentionOptions { KeepDays = 10 }).ApplyAsync())
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("*ArchiveFolder*");
    }

    [Fact]
    public async Task AcknowledgedNotifications_OlderThanKeepDays_AreRemoved_WaitingOnesStay()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(T0);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var notifications = fixture.Host!.Services.GetRequiredService<INotificationStore>();
        NotificationRecord Notice() => new()
        {
            Id = Guid.NewGuid(),
            Kind = "slaAlert",
            Title = "Kirim notifikasi SLA terlampaui",
            Text = "Periksa tiket ini dan tindak lanjuti sesuai SLA yang berlaku.",
            InstanceId = Guid.NewGuid(),
            Audience = [NotificationAudience.Role("TeamLeader")],
            CreatedAt = clock.GetUtcNow(),
        };
        var waiting = Notice();
        var acknowledgedEarly = Notice();
        await notifications.AddAsync(waiting);
        await notifications.AddAsync(acknowledgedEarly);
        await notifications.AcknowledgeAsync(acknowledgedEarly.Id, "leader.rina", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(20));
        var acknowledgedLate = Notice();
        await notifications.AddAsync(acknowledgedLate);
        await notifications.AcknowledgeAsync(acknowledgedLate.Id, "leader.rina", clock.GetUtcNow());
        var policy = new RetentionPolicy(fixture.Host!.Services.GetRequiredService<IRetentionStore>(), fixture.Store, clock, NullLogger<RetentionPolicy>.Instance, new RetentionOptions { KeepDays = 30, Mode = RetentionMode.Purge }, notifications);

        clock.Advance(TimeSpan.FromDays(11));
        (await policy.ApplyAsync()).NotificationsRemoved.Should().Be(1);

        (await notifications.GetAsync(acknowledgedEarly.Id)).Should().BeNull("acknowledged 31 days ago");
        (await notifications.GetAsync(acknowledgedLate.Id)).Should().NotBeNull("acknowledged 11 days ago");
        (await notifications.GetAsync(waiting.Id)).Should().NotBeNull("nobody acknowledged it: it stays whatever its age");
    }

    private static RetentionPolicy Policy(RuntimeFixture fixture, TimeProvider clock, RetentionOptions options) =>
        new(fixture.Host!.Services.GetRequiredService<IRetentionStore>(), fixture.Store, clock, NullLogger<RetentionPolicy>.Instance, options);

    /// <summary>An inbound call worked to its end (no prompts, so nothing waits in the outbox).</summary>
    private static async Task<InstanceRecord> EndedConversationAsync(RuntimeFixture fixture)
    {
        var runtime = fixture.Runtime;
        var call = await runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", CustomerRef = "0812", Agent = "agent.sari" });
        await runtime.CancelAsync(call.Id, "pelanggan menutup telepon", "agent.sari");
        return await runtime.GetAsync(call.Id);
    }
}

public sealed class RetentionPolicyOnSqliteTests() : RetentionPolicyTests(DatabaseProvider.Sqlite);

public sealed class RetentionPolicyOnPostgreSqlTests() : RetentionPolicyTests(DatabaseProvider.PostgreSql);

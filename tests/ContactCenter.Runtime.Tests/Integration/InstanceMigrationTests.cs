using ContactCenter.Persistence;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Definitions;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// Moving running instances between versions through the real runtime on SQLite: propose, dry
/// run, approve (four eyes), apply; timers keep their clocks; exact replay holds across the move;
/// bad mappings and instances that changed since the dry run are refused and nothing moves. On
/// both providers.
/// </summary>
public abstract class InstanceMigrationTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, Wib);
    private const string Proposer = "pemilik.ani";
    private const string Approver = "penyetuju.citra";

    private async Task<(RuntimeFixture Fixture, FakeTimeProvider Clock)> StartAsync(DateTimeOffset at)
    {
        var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var clock = new FakeTimeProvider(at);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock), scheduler: false);
        return (fixture, clock);
    }

    private static InstanceMigrations Migrations(RuntimeFixture fixture) => fixture.Host!.Services.GetRequiredService<InstanceMigrations>();

    /// <summary>A live chat whose customer went quiet: the first "masih terhubung?" prompt is out and the second rung's timer runs.</summary>
    private static async Task<(InstanceRecord Chat, PendingTimer Rung2)> ChatInTheLadderAsync(RuntimeFixture fixture, FakeTimeProvider clock)
    {
        var chat = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", Agent = "agent.sari", Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" } });
        var greeting = (await fixture.Runtime.GetStateAsync(chat.Id)).WorkItems.Single();
        await fixture.Runtime.CompleteWorkItemAsync(chat.Id, greeting.Id, null, null, "agent.sari");
        var rung1 = (await fixture.Runtime.GetStateAsync(chat.Id)).Timers.Single();
        clock.SetUtcNow(rung1.DueAt);
        (await fixture.Runtime.FireAsync(chat.Id, rung1.Id)).Outcome.Should().Be(TimerFiringOutcome.Fired);
        await AskAsync(fixture, chat.Id, "2a");
        var rung2 = (await fixture.Runtime.GetStateAsync(chat.Id)).Timers.Single();
        rung2.ElementId.Should().Be("Event_Timer2");
        return (await fixture.Runtime.GetAsync(chat.Id), rung2);
    }

    /// <summary>The agent asks "masih terhubung?": completes the open question of SOP step <paramref name="step"/>.</summary>
    private static async Task AskAsync(RuntimeFixture fixture, Guid chat, string step)
    {
        var ask = (await fixture.Runtime.GetStateAsync(chat)).WorkItems.Single(w => w.Step == step);
        await fixture.Runtime.CompleteWorkItemAsync(chat, ask.Id, null, null, "agent.sari");
    }

    /// <summary>still-connected v2: the second rung redrawn (a new id, as bpmn-js names it), waiting 2 minutes instead of 1, asking in other words.</summary>
    private static async Task PublishStillConnectedV2Async(RuntimeFixture fixture, FakeTimeProvider clock)
    {
        var v1 = (await fixture.Catalog.GetAsync("still-connected", 1)).Bpmn;
        var v2 = v1.Replace("Event_Timer2", "Event_0k3x9a", StringComparison.Ordinal);
        var secondRung = v2.IndexOf("id=\"Event_0k3x9a\"", StringComparison.Ordinal);
        var duration = v2.IndexOf("PT1M", secondRung, StringComparison.Ordinal);
        v2 = string.Concat(v2.AsSpan(0, duration), "PT2M", v2.AsSpan(duration + 4));
        v2 = v2.Replace("cc:step=\"2b\" cc:script=\"Apakah saat ini Bapak/Ibu masih terhubung dengan kami?\"", "cc:step=\"2b\" cc:script=\"Apakah Bapak/Ibu masih bersama kami?\"", StringComparison.Ordinal);
        v2.Should().Contain("Apakah Bapak/Ibu masih bersama kami?");
        (await CatalogBpmn.PublishNewAsync(fixture.Catalog, v2, clock.GetUtcNow())).Version.Should().Be(2);
    }

    [Fact]
    public async Task LiveChat_MovedInTheMiddleOfItsSilenceLadder_KeepsItsTimer_WhichFiresAtTheOriginalDueTimeOnTheNewVersion()
    {
        var (fixture, clock) = await StartAsync(Now);
        await using var _ = fixture;
        var (chat, rung2) = await ChatInTheLadderAsync(fixture, clock);
        await PublishStillConnectedV2Async(fixture, clock);
        var migrations = Migrations(fixture);

        var derived = await migrations.DeriveAsync("still-connected", 1, 2);
        derived.Unmapped.Should().Contain("Event_Timer2", "a redrawn timer without a purpose is mapped by hand");
        var proposal = await migrations.ProposeAsync("still-connected", 1, 2, new Dictionary<string, string> { ["Event_Timer2"] = "Event_0k3x9a" }, [chat.Id], Proposer, "Tangga diam: kata-kata baru");
        var dryRun = await migrations.DryRunAsync(proposal.Record.Id, Proposer);
        dryRun.DryRun.Should().ContainSingle().Which.Should().Match<MigrationOutcome>(o => o.CanMove && o.JournalVersion == chat.Version);
        await migrations.ApproveAsync(proposal.Record.Id, Approver);
        var applied = await migrations.ApplyAsync(proposal.Record.Id, Approver);

        applied.Record.Status.Should().Be(MigrationStatus.Applied);
        applied.Result.Should().ContainSingle().Which.Moved.Should().BeTrue();
        var moved = await fixture.Runtime.GetAsync(chat.Id);
        moved.PinnedVersions.Should().BeEquivalentTo(new Dictionary<string, int> { ["live-chat"] = 1, ["still-connected"] = 2 });
        var timer = (await fixture.Runtime.GetStateAsync(chat.Id)).Timers.Should().ContainSingle().Subject;
        timer.Should().Be(rung2 with { ElementId = "Event_0k3x9a" }, "the rung keeps its id and its clock: v2's 2 minutes apply to rungs armed from now on");
        (await fixture.Queries.ListPendingTimersAsync()).Should().ContainSingle(t => t.InstanceId == chat.Id)
            .Which.Should().Match<TimerRecord>(t => t.ElementId == "Event_0k3x9a" && t.DueAt == rung2.DueAt, "the timer row is armed again under its new element");
        (await fixture.Runtime.ReadJournalAsync(chat.Id)).OfType<InstanceMigrated>().Should().ContainSingle()
            .Which.Should().Match<InstanceMigrated>(m => m.Actor == Approver && m.FromVersion == 1 && m.ToVersion == 2 && m.Mapping["Event_Timer2"] == "Event_0k3x9a");

        clock.SetUtcNow(rung2.DueAt.AddSeconds(-1));
        (await fixture.Runtime.FireAsync(chat.Id, timer.Id)).Outcome.Should().Be(TimerFiringOutcome.NotDue);
        clock.SetUtcNow(rung2.DueAt);
        (await fixture.Runtime.FireAsync(chat.Id, timer.Id)).Outcome.Should().Be(TimerFiringOutcome.Fired);
        (await fixture.Runtime.GetStateAsync(chat.Id)).WorkItems.Should().ContainSingle().Which.Script.Should().Be("Apakah Bapak/Ibu masih bersama kami?", "the second question is v2's");
        await AskAsync(fixture, chat.Id, "2b");
        var journal = await fixture.Runtime.ReadJournalAsync(chat.Id);
        journal.OfType<PromptSent>().Last().Text.Should().Be("Apakah Bapak/Ibu masih bersama kami?", "the second prompt is v2's");
        journal.OfType<TimerScheduled>().Last().DueAt.Should().Be(rung2.DueAt + TimeSpan.FromMinutes(1), "the third rung is armed on v2 as drawn");

        var replay = await fixture.Host!.Services.GetRequiredService<InstanceReplayer>().VerifyAsync(chat.Id);
        replay.Replay.Divergence.Should().BeNull();
        replay.Matches.Should().BeTrue("exact replay holds across the move, byte for byte, and the snapshot agrees");
    }

    [Fact]
    public async Task Ticket_MovedWhileItsSlaIsPaused_KeepsItsClockAndPause_AndResumesOnTheNewVersion()
    {
        var (fixture, clock) = await StartAsync(Now);
        await using var _ = fixture;
        var ticket = await fixture.Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "ticket-escalation",
            Channel = "ticket",
            CustomerRef = "nasabah-7",
            Actor = "system",
            Variables = new Dictionary<string, Value> { ["kategori"] = "Gadai", ["prioritas"] = "Rendah", ["deskripsi"] = "Dana pencairan belum masuk" },
        });
        var sla = fixture.Host!.Services.GetRequiredService<TicketSla>();
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 9, 0, 0, Wib));
        await sla.PauseAsync(ticket.Id, "Menunggu dokumen dari nasabah", "tier2.budi");
        var paused = (await fixture.Runtime.GetStateAsync(ticket.Id)).Timers.Where(t => t.SlaPolicy is not null).OrderBy(t => t.Id).ToList();
        paused.Should().HaveCount(2).And.OnlyContain(t => t.Held);

        // v2: the SLA events and the first step redrawn with new ids (their purposes kept), the
        // handling sub-process too (no purpose: mapped by hand), the first step renamed.
        var v1 = (await fixture.Catalog.GetAsync("ticket-escalation", 1)).Bpmn;
        var v2 = v1.Replace("Event_SlaBreach", "Event_0sla9b", StringComparison.Ordinal)
            .Replace("Event_SlaWarning", "Event_1wrn7c", StringComparison.Ordinal)
            .Replace("Task_TerimaTiket", "Activity_1x2y3z", StringComparison.Ordinal)
            .Replace("Activity_PenangananTiket", "Activity_0pnt4k", StringComparison.Ordinal)
            .Replace("name=\"Menerima tiket pengaduan yang harus di eskalasi\"", "name=\"Menerima tiket eskalasi\"", StringComparison.Ordinal);
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, v2, clock.GetUtcNow());
        var migrations = Migrations(fixture);
        var derived = await migrations.DeriveAsync("ticket-escalation", 1, 2);
        derived.MatchedBy["Event_SlaBreach"].Should().Be("purpose:sla-breach");
        derived.MatchedBy["Task_TerimaTiket"].Should().Be("purpose:ticket-received");

        var proposal = await migrations.ProposeAsync("ticket-escalation", 1, 2, new Dictionary<string, string> { ["Activity_PenangananTiket"] = "Activity_0pnt4k" }, [ticket.Id], Proposer);
        await migrations.DryRunAsync(proposal.Record.Id, Proposer);
        await migrations.ApproveAsync(proposal.Record.Id, Approver);
        (await migrations.ApplyAsync(proposal.Record.Id, "admin.dewi")).Result.Should().ContainSingle().Which.Moved.Should().BeTrue();

        var state = await fixture.Runtime.GetStateAsync(ticket.Id);
        state.DefinitionVersion.Should().Be(2);
        state.Timers.OrderBy(t => t.Id).Should().Equal(paused.Select(t => t with { ElementId = t.ElementId == "Event_SlaBreach" ? "Event_0sla9b" : "Event_1wrn7c" }), "held, with the same due times and policies");
        state.WorkItems.Should().ContainSingle().Which.Should().Match<WorkItem>(w => w.ElementId == "Activity_1x2y3z" && w.Name == "Menerima tiket eskalasi");
        (await sla.GetAsync(ticket.Id, clock.GetUtcNow())).Snapshot.Should().Match<SlaSnapshot>(s => s.IsPaused && s.BreachDue == null, "the pause is intact");

        // Paused from Wednesday 09:00 to Friday 09:00: 18 working hours, as without the move.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 9, 0, 0, Wib));
        await sla.ResumeAsync(ticket.Id, "tier2.budi");
        var resumed = (await fixture.Runtime.GetStateAsync(ticket.Id)).Timers.ToDictionary(t => t.ElementId);
        resumed["Event_0sla9b"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 17, 9, 0, 0, Wib));
        resumed["Event_1wrn7c"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 14, 13, 30, 0, Wib));
        (await sla.GetAsync(ticket.Id, clock.GetUtcNow())).Snapshot.BreachDue.Should().Be(resumed["Event_0sla9b"].DueAt);

        (await fixture.Host!.Services.GetRequiredService<InstanceReplayer>().VerifyAsync(ticket.Id)).Matches.Should().BeTrue();
    }

    [Fact]
    public async Task Approve_ByTheProposer_IsRefused_AndApplyBeforeApprovalMovesNothing()
    {
        var (fixture, clock) = await StartAsync(Now);
        await using var _ = fixture;
        var (chat, _) = await ChatInTheLadderAsync(fixture, clock);
        await PublishStillConnectedV2Async(fixture, clock);
        var migrations = Migrations(fixture);
        var proposal = await migrations.ProposeAsync("still-connected", 1, 2, new Dictionary<string, string> { ["Event_Timer2"] = "Event_0k3x9a" }, [chat.Id], Proposer);

        var beforeDryRun = () => migrations.ApproveAsync(proposal.Record.Id, Approver);
        (await beforeDryRun.Should().ThrowAsync<MigrationException>()).Which.Message.Should().Contain("no dry run");
        await migrations.DryRunAsync(proposal.Record.Id, Proposer);
        var self = () => migrations.ApproveAsync(proposal.Record.Id, " PEMILIK.ANI ");
        (await self.Should().ThrowAsync<MigrationException>()).Which.Error.Should().Be(MigrationError.SamePerson);
        var early = () => migrations.ApplyAsync(proposal.Record.Id, Proposer);
        (await early.Should().ThrowAsync<MigrationException>()).Which.Message.Should().Contain("not approved yet");

        (await fixture.Runtime.GetAsync(chat.Id)).Should().Match<InstanceRecord>(r => r.Version == chat.Version && r.Snapshot == chat.Snapshot && r.PinnedVersions["still-connected"] == 1, "nothing moved");
        (await migrations.GetAsync(proposal.Record.Id)).Record.Status.Should().Be(MigrationStatus.Proposed);
    }

    [Fact]
    public async Task Propose_MappingToAMissingElementOrOneOfAnotherKind_IsRefusedNamingEach_AndNothingIsStored()
    {
        var (fixture, clock) = await StartAsync(Now);
        await using var _ = fixture;
        var (chat, _) = await ChatInTheLadderAsync(fixture, clock);
        await PublishStillConnectedV2Async(fixture, clock);
        var migrations = Migrations(fixture);

        var propose = () => migrations.ProposeAsync("still-connected", 1, 2, new Dictionary<string, string> { ["Event_Timer2"] = "Event_Tidak_Ada", ["Gateway_Wait2"] = "Task_Ask2b" }, [chat.Id], Proposer);

        var refused = (await propose.Should().ThrowAsync<MigrationException>()).Which;
        refused.Error.Should().Be(MigrationError.InvalidMapping);
        refused.Problems.Should().Contain(p => p.ElementId == "Event_Timer2" && p.Message.Contains("'Event_Tidak_Ada', which is not an element of the new version"));
        refused.Problems.Should().Contain(p => p.ElementId == "Gateway_Wait2" && p.Message.Contains("another kind (eventBasedGateway to userTask)"));
        (await migrations.ListAsync("still-connected")).Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_InstanceChangedSinceTheDryRun_IsRefusedNamingIt_AndTheOthersStillMove()
    {
        var (fixture, clock) = await StartAsync(Now);
        await using var _ = fixture;
        var (changing, _) = await ChatInTheLadderAsync(fixture, clock);
        var (quiet, _) = await ChatInTheLadderAsync(fixture, clock);
        var removed = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", Agent = "agent.sari" });
        await PublishStillConnectedV2Async(fixture, clock);
        var migrations = Migrations(fixture);
        var proposal = await migrations.ProposeAsync("still-connected", 1, 2, new Dictionary<string, string> { ["Event_Timer2"] = "Event_0k3x9a" }, [changing.Id, quiet.Id, removed.Id], Proposer);
        var dryRun = await migrations.DryRunAsync(proposal.Record.Id, Proposer);
        dryRun.DryRun!.Single(o => o.InstanceId == removed.Id).Should().Match<MigrationOutcome>(o => !o.CanMove && o.Problems[0].Message.Contains("does not run 'still-connected'"), "a chat still at its greeting has no ladder to move");
        await migrations.ApproveAsync(proposal.Record.Id, Approver);

        // The customer answers between the dry run and the application.
        await fixture.Runtime.DeliverMessageAsync(changing.Id, "halo, masih", "wa-1");
        var applied = await migrations.ApplyAsync(proposal.Record.Id, Approver);

        var refused = applied.Result!.Single(o => o.InstanceId == changing.Id);
        refused.Moved.Should().BeFalse();
        refused.Problems.Should().ContainSingle().Which.Message.Should().Contain($"instance {changing.Id} changed since the dry run");
        (await fixture.Runtime.ReadJournalAsync(changing.Id)).OfType<InstanceMigrated>().Should().BeEmpty();
        (await fixture.Runtime.GetAsync(changing.Id)).PinnedVersions["still-connected"].Should().Be(1, "nothing of it moved");
        applied.Result!.Single(o => o.InstanceId == quiet.Id).Moved.Should().BeTrue("each instance moves on its own");
        applied.Result!.Single(o => o.InstanceId == removed.Id).Moved.Should().BeFalse();
    }
}

public sealed class InstanceMigrationOnSqliteTests() : InstanceMigrationTests(DatabaseProvider.Sqlite);

public sealed class InstanceMigrationOnPostgreSqlTests() : InstanceMigrationTests(DatabaseProvider.PostgreSql);

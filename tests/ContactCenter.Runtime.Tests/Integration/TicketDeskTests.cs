using ContactCenter.Persistence;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>The ticket side of the SOP (steps 12-19) on the repo's ticket-escalation flow: queues, notes, dispatch, close.</summary>
public abstract class TicketDeskTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Dispatch_MovesTheTicketFromTier2ToTheUnitsQueue_ThenBackForTier2ToClose()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, clock) = await StartAsync(fixture);
        var ticket = await OpenAsync(fixture, "Gadai", "Tinggi");
        var other = await OpenAsync(fixture, "Tabungan Emas", "Rendah");

        (await desk.QueueAsync(TicketQueue.Tier2)).Select(t => t.Id).Should().BeEquivalentTo([ticket.Id, other.Id]);
        (await desk.QueueAsync(TicketQueue.RelatedTeam)).Should().BeEmpty();

        clock.Advance(TimeSpan.FromHours(1));
        await desk.DispatchAsync(ticket.Id, "Divisi Gadai", "Mohon cek pencairan di outlet", "tier2.budi");

        (await desk.QueueAsync(TicketQueue.Tier2)).Select(t => t.Id).Should().Equal(other.Id);
        var related = (await desk.QueueAsync(TicketQueue.RelatedTeam, "divisi gadai")).Should().ContainSingle().Subject;
        related.Id.Should().Be(ticket.Id);
        related.Unit.Should().Be("Divisi Gadai");
        related.CurrentTask!.Step.Should().Be("16");
        (await desk.QueueAsync(TicketQueue.RelatedTeam, "Divisi Emas")).Should().BeEmpty("another unit does not see it");
        await FluentActions.Awaiting(() => desk.CloseAsync(ticket.Id, "selesai", "tier2.budi")).Should().ThrowAsync<TicketActionException>("the related team has it");

        // The related team follows up (steps 16-19) and adds notes on the way.
        await desk.AddNoteAsync(ticket.Id, "Sudah dihubungi outlet Cabang Bogor", "terkait.dewi");
        await CompleteAsync(fixture, ticket.Id, "terkait.dewi", "16", "17", "18");
        await CompleteAsync(fixture, ticket.Id, "terkait.dewi", "19", new Dictionary<string, Value> { ["catatan"] = "Dana sudah dicairkan ulang" });

        (await desk.QueueAsync(TicketQueue.Tier2)).Select(t => t.Id).Should().Contain(ticket.Id, "the memo came back to Tier 2 to close");
        await desk.CloseAsync(ticket.Id, "Nasabah sudah menerima dana", "tier2.budi");

        var closed = await desk.GetAsync(ticket.Id);
        closed.Status.Should().Be(InstanceStatus.Completed);
        closed.Queue.Should().BeNull();
        (await desk.NotesAsync(ticket.Id)).Select(n => (n.Text, n.Author, n.Source)).Should().Equal(
            ("Sudah dihubungi outlet Cabang Bogor", "terkait.dewi", "note"),
            ("Dana sudah dicairkan ulang", "terkait.dewi", "memo"),
            ("Nasabah sudah menerima dana", "tier2.budi", "memo"));
        var journal = await fixture.Runtime.ReadJournalAsync(ticket.Id);
        journal.OfType<ServiceInvoked>().Select(s => s.ServiceKind).Should().Contain(["dispatchTicket", "closeTicket"]);
        journal.OfType<TimerCancelled>().Should().HaveCount(2, "closing stops both SLA timers");
        WorkflowEngine.Fold(journal).ToJson().Should().Be((await fixture.Runtime.GetAsync(ticket.Id)).Snapshot);
    }

    [Fact]
    public async Task Close_WithoutDispatch_IsTier2sPath14b_AndNeedsAMemo()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, _) = await StartAsync(fixture);
        var ticket = await OpenAsync(fixture, "Gadai", "Rendah");

        await FluentActions.Awaiting(() => desk.CloseAsync(ticket.Id, "  ", "tier2.budi")).Should().ThrowAsync<TicketActionException>();
        await desk.CloseAsync(ticket.Id, "Informasi sudah diberikan ke nasabah", "tier2.budi");

        var journal = await fixture.Runtime.ReadJournalAsync(ticket.Id);
        journal.OfType<ElementEntered>().Select(e => e.ElementId).Should().Contain("Event_TanpaDispatch").And.NotContain("Task_Dispatch");
        (await desk.GetAsync(ticket.Id)).Status.Should().Be(InstanceStatus.Completed);
        await FluentActions.Awaiting(() => desk.AddNoteAsync(ticket.Id, "terlambat", "tier2.budi")).Should().ThrowAsync<WorkflowCommandRejectedException>("a closed ticket takes no more notes");
    }

    [Fact]
    public async Task TicketFlowPublishedBeforePurposes_IsStillDispatchedAndClosed_ByItsStepNumbers()
    {
        // A version from before cc:purpose: running tickets stay pinned to it.
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var path = Path.Combine(fixture.WorkflowsFolder, "ticket-escalation.bpmn");
        var legacy = System.Text.RegularExpressions.Regex.Replace(await File.ReadAllTextAsync(path), " cc:(purpose|flowKind)=\"[^\"]*\"", string.Empty);
        legacy.Should().NotContain("cc:purpose");
        await File.WriteAllTextAsync(path, legacy);
        var (desk, _) = await StartAsync(fixture);
        var dispatched = await OpenAsync(fixture, "Gadai", "Tinggi");
        var solved = await OpenAsync(fixture, "Gadai", "Rendah");

        await desk.DispatchAsync(dispatched.Id, "Divisi Gadai", null, "tier2.budi");
        await desk.CloseAsync(solved.Id, "Informasi sudah diberikan", "tier2.budi");

        (await desk.GetAsync(dispatched.Id)).CurrentTask!.Step.Should().Be("16");
        (await desk.GetAsync(solved.Id)).Status.Should().Be(InstanceStatus.Completed);
        var journal = await fixture.Runtime.ReadJournalAsync(solved.Id);
        journal.OfType<WorkItemCompleted>().Select(c => c.Outcome).Should().Contain("Tidak");
    }

    [Fact]
    public async Task Queue_ShowsTheSlaAndPutsTheMostUrgentFirst()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, clock) = await StartAsync(fixture);
        var older = await OpenAsync(fixture, "Gadai", "Rendah");
        clock.Advance(TimeSpan.FromDays(1));
        var newer = await OpenAsync(fixture, "Gadai", "Rendah");
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 11, 9, 0, 0, TimeSpan.FromHours(7)));

        var queue = await desk.QueueAsync(TicketQueue.Tier2);

        queue.Select(t => t.Id).Should().Equal(older.Id, newer.Id);
        queue[0].Sla!.Snapshot.Status.Should().Be(SlaStatus.AtRisk, "75% of its ten working days have passed");
        queue[0].Category.Should().Be("Gadai");
        queue[0].CurrentTask!.Lane.Should().Be("Tier 2");
    }

    [Fact]
    public async Task Queue_ListsEveryOpenTicketOldestBreachFirst_AndALimitKeepsTheMostUrgent()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, clock) = await StartAsync(fixture);
        var opened = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            opened.Add((await OpenAsync(fixture, "Gadai", "Rendah")).Id);
            clock.Advance(TimeSpan.FromHours(2));
        }

        (await desk.QueueAsync(TicketQueue.Tier2)).Select(t => t.Id).Should().Equal(opened, "the oldest is nearest its breach");
        (await desk.QueueAsync(TicketQueue.Tier2, limit: 3)).Select(t => t.Id).Should().Equal(opened.Take(3), "a limit keeps the most urgent");
    }

    /// <summary>
    /// The queues read from the read model show what the journals say: the same scenario read
    /// through <see cref="TicketDesk.DetailAsync"/> (snapshot and journal, the SLA clock replayed
    /// from its annotations) gives the same tickets, in the same order, with the same SLA, as the
    /// clock moves across warnings and breaches, pauses, resumes and an extension.
    /// </summary>
    [Fact]
    public async Task Queue_FromTheReadModel_EqualsTheTicketsAsTheirJournalsSayThem()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, clock) = await StartAsync(fixture);
        var sla = fixture.Host!.Services.GetRequiredService<TicketSla>();
        var tickets = new List<Guid>();
        string[][] kinds = [["Gadai", "Tinggi"], ["Gadai", "Rendah"], ["Tabungan Emas", "Rendah"], ["Tanpa Kebijakan", "Aneh"]];
        for (var i = 0; i < 12; i++)
        {
            tickets.Add((await OpenAsync(fixture, kinds[i % 4][0], kinds[i % 4][1])).Id);
            clock.Advance(TimeSpan.FromHours(5));
        }

        await desk.DispatchAsync(tickets[0], "Divisi Gadai", "cek", "tier2.budi");
        await desk.DispatchAsync(tickets[4], "divisi gadai ", null, "tier2.budi");
        await desk.DispatchAsync(tickets[5], "Divisi Emas", null, "tier2.budi");
        await sla.PauseAsync(tickets[1], "Menunggu dokumen dari nasabah", "tier2.budi");
        await sla.PauseAsync(tickets[2], "Menunggu dokumen dari nasabah", "tier2.budi");
        await sla.PauseAsync(tickets[4], "Menunggu dokumen dari nasabah", "terkait.dewi");
        clock.Advance(TimeSpan.FromDays(2));
        await sla.ResumeAsync(tickets[2], "tier2.budi");
        await sla.ExtendAsync(tickets[6], "Menunggu hasil investigasi unit kerja", "tier2.budi");
        await desk.AddNoteAsync(tickets[7], "Sudah dihubungi", "tier2.budi");
        await desk.CloseAsync(tickets[9], "Selesai", "tier2.budi");

        foreach (var days in new[] { 0, 3, 8, 20 })
        {
            clock.Advance(TimeSpan.FromDays(days));
            foreach (var (queue, unit) in new (TicketQueue, string?)[] { (TicketQueue.Tier2, null), (TicketQueue.RelatedTeam, null), (TicketQueue.RelatedTeam, "DIVISI GADAI"), (TicketQueue.RelatedTeam, "Divisi Emas") })
            {
                var expected = new List<TicketSummary>();
                foreach (var id in tickets)
                {
                    var detail = (await desk.DetailAsync(id)).Ticket;
                    if (detail.Status == InstanceStatus.Running && detail.Queue == queue && (unit is null || TicketDesk.IsSameUnit(detail.Unit, unit)))
                    {
                        expected.Add(detail);
                    }
                }

                expected = [.. expected.OrderBy(t => t.Sla?.Snapshot.BreachDue ?? DateTimeOffset.MaxValue).ThenBy(t => t.OpenedAt)];
                var listed = await desk.QueueAsync(queue, unit);
                listed.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), $"{queue} {unit} after {days} more days");
            }
        }
    }

    [Fact]
    public async Task Actions_OnAConversationId_AreNotFound()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true, provider);
        var (desk, _) = await StartAsync(fixture);
        var conversation = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "live-chat", Channel = "live-chat", CustomerRef = "c-1", Agent = "agent.sari" });

        await FluentActions.Awaiting(() => desk.GetAsync(conversation.Id)).Should().ThrowAsync<InstanceNotFoundException>();
        await FluentActions.Awaiting(() => desk.AddNoteAsync(conversation.Id, "x", "tier2.budi")).Should().ThrowAsync<InstanceNotFoundException>();
    }

    private static async Task<(TicketDesk Desk, FakeTimeProvider Clock)> StartAsync(RuntimeFixture fixture)
    {
        var clock = new FakeTimeProvider(Opened);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        return (fixture.Host!.Services.GetRequiredService<TicketDesk>(), clock);
    }

    internal static Task<InstanceRecord> OpenAsync(RuntimeFixture fixture, string category, string priority) =>
        fixture.Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = TicketDesk.DefinitionKey,
            Channel = "ticket",
            CustomerRef = "nasabah-7",
            Actor = "system",
            Variables = new Dictionary<string, Value> { ["kategori"] = category, ["prioritas"] = priority, ["deskripsi"] = "Dana pencairan belum masuk", ["kanal"] = "whatsapp" },
        });

    private static Task CompleteAsync(RuntimeFixture fixture, Guid id, string actor, params string[] steps) => CompleteAsync(fixture, id, actor, steps, null);

    private static Task CompleteAsync(RuntimeFixture fixture, Guid id, string actor, string step, Dictionary<string, Value> data) => CompleteAsync(fixture, id, actor, [step], data);

    private static async Task CompleteAsync(RuntimeFixture fixture, Guid id, string actor, string[] steps, Dictionary<string, Value>? data)
    {
        foreach (var step in steps)
        {
            var item = (await fixture.Runtime.GetStateAsync(id)).WorkItems.Should().ContainSingle().Subject;
            item.Step.Should().Be(step);
            item.Lane.Should().Be(TicketDesk.RelatedTeamLane);
            await fixture.Runtime.CompleteWorkItemAsync(id, item.Id, null, data, actor);
        }
    }
}

public sealed class TicketDeskOnSqliteTests() : TicketDeskTests(DatabaseProvider.Sqlite);

public sealed class TicketDeskOnPostgreSqlTests() : TicketDeskTests(DatabaseProvider.PostgreSql);

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

/// <summary>
/// A ticket's SLA clock on the repo's calendar and policies, through the real runtime on SQLite
/// and Quartz: the policy by category and priority, the pause while waiting on the customer and
/// the one extension, each journaled with the timers they move.
/// </summary>
public sealed class TicketSlaTests
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    /// <summary>Tuesday 1 December 2026, 09:00 WIB: a working day with no holiday for two weeks.</summary>
    private static readonly DateTimeOffset Opened = new(2026, 12, 1, 9, 0, 0, Wib);

    [Fact]
    public async Task Open_DefaultPolicy_ArmsWarningAndBreachOnTheWorkingCalendar()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var (_, ticket) = await OpenTicketAsync(fixture, priority: "Rendah");

        var timers = await SlaTimersAsync(fixture, ticket.Id);

        // 10 working days of 9 hours (08:00-17:00) from Tuesday 09:00: 8 h that day, 9 full days, 1 h.
        timers["Event_SlaBreach"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 15, 9, 0, 0, Wib));
        // 75% of 90 h = 67.5 h: 8 h, 6 full days (54 h), then 5.5 h on Thursday 10 December.
        timers["Event_SlaWarning"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 10, 13, 30, 0, Wib));
        var sla = await fixture.Host!.Services.GetRequiredService<TicketSla>().GetAsync(ticket.Id, Opened);
        sla.Policy.Should().Be("complaint");
        sla.Snapshot.Status.Should().Be(SlaStatus.OnTrack);
        sla.Snapshot.BreachDue.Should().Be(timers["Event_SlaBreach"].DueAt, "the clock and the armed timer agree");
    }

    [Fact]
    public async Task Open_PolicyForCategoryAndPriority_ChoosesItsOwnTargets()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var policies = Path.Combine(fixture.WorkflowsFolder, "sla-policies.json");
        File.WriteAllText(policies, File.ReadAllText(policies).Replace(
            "\"policies\": [",
            """
            "policies": [
                { "name": "gadai-tinggi", "category": "Gadai", "priority": "Tinggi",
                  "firstResponse": { "workingHours": 2 }, "resolution": { "workingDays": 5 }, "warningShare": 0.5 },
            """,
            StringComparison.Ordinal));

        var (_, ticket) = await OpenTicketAsync(fixture, priority: "Tinggi");

        var timers = await SlaTimersAsync(fixture, ticket.Id);
        // 5 working days = 45 h from Tuesday 09:00: 8 h, 4 full days (36 h), 1 h on Tuesday 8 December.
        timers["Event_SlaBreach"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 8, 9, 0, 0, Wib));
        // Half of 45 h = 22.5 h: 8 h, Wednesday 9 h, then 5.5 h on Thursday.
        timers["Event_SlaWarning"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 3, 13, 30, 0, Wib));
        (await fixture.Host!.Services.GetRequiredService<TicketSla>().GetAsync(ticket.Id, Opened)).Policy.Should().Be("gadai-tinggi");
    }

    [Fact]
    public async Task Pause_HoldsTheSlaTimers_ResumeMovesThemByThePausedWorkingTime()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var (clock, ticket) = await OpenTicketAsync(fixture, priority: "Rendah");
        var sla = fixture.Host!.Services.GetRequiredService<TicketSla>();
        var before = await SlaTimersAsync(fixture, ticket.Id);

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 9, 0, 0, Wib));
        await sla.PauseAsync(ticket.Id, "Menunggu dokumen dari nasabah", "tier2.budi");

        var state = await fixture.Runtime.GetStateAsync(ticket.Id);
        state.Timers.Where(t => t.SlaPolicy is not null).Should().HaveCount(2).And.OnlyContain(t => t.Held);
        (await fixture.Queries.ListPendingTimersAsync()).Should().NotContain(t => t.InstanceId == ticket.Id, "a held timer has no pending row");
        (await sla.GetAsync(ticket.Id, clock.GetUtcNow())).Snapshot.Should().Match<SlaSnapshot>(s => s.IsPaused && s.BreachDue == null);
        (await fixture.Runtime.FireAsync(ticket.Id, before["Event_SlaBreach"].Id).ContinueWith(_ => fixture.Runtime.GetStateAsync(ticket.Id)).Unwrap())
            .Timers.Should().HaveCount(2, "a stale trigger of a held timer fires nothing");

        // Paused from Wednesday 09:00 to Friday 09:00: 18 working hours.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 9, 0, 0, Wib));
        await sla.ResumeAsync(ticket.Id, "tier2.budi");

        var after = await SlaTimersAsync(fixture, ticket.Id);
        after["Event_SlaBreach"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 17, 9, 0, 0, Wib));
        after["Event_SlaWarning"].DueAt.Should().Be(new DateTimeOffset(2026, 12, 14, 13, 30, 0, Wib));
        (await fixture.Queries.ListPendingTimersAsync()).Where(t => t.InstanceId == ticket.Id).Select(t => (t.TimerId, t.DueAt))
            .Should().BeEquivalentTo(after.Values.Select(t => (t.Id, t.DueAt)), "both timers have a pending row again, at their new due times");

        // A stale firing between the old and the new deadline (a scheduler that picked the old
        // one before the resume moved it): a minute past the old warning, days before the new one.
        // It changes nothing: no early warning, the timer stays armed.
        clock.SetUtcNow(before["Event_SlaWarning"].DueAt.AddMinutes(1));
        var stale = await fixture.Runtime.FireAsync(ticket.Id, after["Event_SlaWarning"].Id);
        stale.Should().Be(new TimerFiring(TimerFiringOutcome.NotDue, after["Event_SlaWarning"].DueAt));
        (await SlaTimersAsync(fixture, ticket.Id)).Should().BeEquivalentTo(after, "both timers are still pending at their new due times");
        (await fixture.Runtime.ReadJournalAsync(ticket.Id)).OfType<TimerFired>().Should().BeEmpty();

        var journal = await fixture.Runtime.ReadJournalAsync(ticket.Id);
        journal.OfType<Annotated>().Select(a => a.Kind).Should().Equal(TicketSla.PausedKind, TicketSla.ResumedKind);
        journal.OfType<Annotated>().First().Data["alasan"].Should().Be(Value.From("Menunggu dokumen dari nasabah"));
        journal.OfType<TimerRescheduled>().Should().HaveCount(4);
        WorkflowEngine.Fold(journal).ToJson().Should().Be((await fixture.Runtime.GetAsync(ticket.Id)).Snapshot, "the journal alone rebuilds the ticket");
    }

    [Fact]
    public async Task Extend_OnceWithAReason_MovesTheBreach_ASecondTimeIsRefused()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var (clock, ticket) = await OpenTicketAsync(fixture, priority: "Rendah");
        var sla = fixture.Host!.Services.GetRequiredService<TicketSla>();
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 9, 10, 0, 0, Wib));

        var refused = await FluentActions.Awaiting(() => sla.ExtendAsync(ticket.Id, " ", "tier2.budi")).Should().ThrowAsync<SlaExtensionRefusedException>();
        refused.Which.Refusal.Should().Be(SlaExtensionRefusal.ReasonMissing);

        await sla.ExtendAsync(ticket.Id, "Menunggu hasil investigasi unit kerja", "tier2.budi");

        var timers = await SlaTimersAsync(fixture, ticket.Id);
        var state = await sla.GetAsync(ticket.Id, clock.GetUtcNow());
        state.Extension!.Reason.Should().Be("Menunggu hasil investigasi unit kerja");
        state.Snapshot.Target.Should().Be(TimeSpan.FromHours(180));
        timers["Event_SlaBreach"].DueAt.Should().Be(sla.Calendar.AddWorkingTime(Opened, TimeSpan.FromHours(180)).ToOffset(TimeSpan.Zero));
        timers["Event_SlaBreach"].DueAt.Should().BeAfter(new DateTimeOffset(2026, 12, 29, 0, 0, 0, Wib), "ten more working days, across Christmas and cuti bersama");

        var again = await FluentActions.Awaiting(() => sla.ExtendAsync(ticket.Id, "Lagi", "tier2.budi")).Should().ThrowAsync<SlaExtensionRefusedException>();
        again.Which.Refusal.Should().Be(SlaExtensionRefusal.AlreadyExtended);
        (await fixture.Runtime.ReadJournalAsync(ticket.Id)).OfType<Annotated>().Should().ContainSingle("a refused change journals nothing");
    }

    [Fact]
    public async Task Pause_TwiceOrResumeWithoutPause_IsRefusedAndJournalsNothing()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var (_, ticket) = await OpenTicketAsync(fixture, priority: "Rendah");
        var sla = fixture.Host!.Services.GetRequiredService<TicketSla>();

        await FluentActions.Awaiting(() => sla.ResumeAsync(ticket.Id, "tier2.budi")).Should().ThrowAsync<TicketActionException>();
        await sla.PauseAsync(ticket.Id, "Menunggu nasabah", "tier2.budi");
        await FluentActions.Awaiting(() => sla.PauseAsync(ticket.Id, "Lagi", "tier2.budi")).Should().ThrowAsync<TicketActionException>();

        (await fixture.Runtime.ReadJournalAsync(ticket.Id)).OfType<Annotated>().Should().ContainSingle();
    }

    private static async Task<(FakeTimeProvider Clock, InstanceRecord Ticket)> OpenTicketAsync(RuntimeFixture fixture, string priority)
    {
        var clock = new FakeTimeProvider(Opened);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var ticket = await fixture.Runtime.StartAsync(new StartRequest
        {
            DefinitionKey = "ticket-escalation",
            Channel = "ticket",
            CustomerRef = "nasabah-7",
            Actor = "system",
            Variables = new Dictionary<string, Value> { ["kategori"] = "Gadai", ["prioritas"] = priority, ["deskripsi"] = "Dana pencairan belum masuk" },
        });
        return (clock, ticket);
    }

    private static async Task<Dictionary<string, PendingTimer>> SlaTimersAsync(RuntimeFixture fixture, Guid ticketId) =>
        (await fixture.Runtime.GetStateAsync(ticketId)).Timers.Where(t => t.SlaPolicy is not null).ToDictionary(t => t.ElementId);
}

using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Quality;
using ContactCenter.Modules.Tickets;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>
/// A ticket's scorecard: SOP steps 12-19 and the complaint SLA, each rule met, not met and not
/// applicable, on the repo's ticket-escalation flow driven through the ticket desk on a fake clock.
/// Opened Tuesday 1 December 2026 09:00 WIB: priority Rendah answers within 1 working day and
/// resolves within 10; Tinggi answers within 2 working hours.
/// </summary>
public sealed class TicketScorecardTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Dispatched_AndClosedOnTime_MeetsEveryRule()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Transaksi", "Rendah");

        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.Desk.DispatchAsync(ticket.Id, "Divisi Gadai", "Mohon cek pencairan", "tier2.budi");
        await CompleteRelatedTeamAsync(s, ticket.Id, "Dana sudah dicairkan ulang");
        await s.Desk.CloseAsync(ticket.Id, "Nasabah sudah menerima dana", "tier2.budi");

        var card = await s.Quality.ScorecardAsync(ticket.Id);
        card.Rules.Select(r => r.RuleId).Should().Equal(TicketScorecardRules.All.Select(r => r.Id));
        card.Rules.Should().OnlyContain(r => r.Outcome == RuleOutcome.Passed, "every step was done in time: {0}", string.Join("; ", card.Rules.Select(r => $"{r.RuleId} {r.Outcome} {r.Summary}")));
        card.Score.Should().Be(100);
        card["related-team-note"].Evidence.Should().Contain(e => e.What.Contains("Dana sudah dicairkan ulang", StringComparison.Ordinal));
        card["ticket-note-before-close"].Summary.Should().Be("closed with a memo of the result");
    }

    [Fact]
    public async Task ClosedByTier2_WithoutDispatch_LeavesTheRelatedTeamRuleNotApplicable()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Layanan", "Rendah");

        s.Clock.Advance(TimeSpan.FromHours(2));
        await s.Desk.CloseAsync(ticket.Id, "Informasi sudah diberikan", "tier2.budi");

        var card = await s.Quality.ScorecardAsync(ticket.Id);
        card["related-team-note"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["ticket-received"].Outcome.Should().Be(RuleOutcome.Passed);
        card["ticket-decision"].Summary.Should().Be("Tier 2 decided 'Tidak'");
        card["first-response-sla"].Outcome.Should().Be(RuleOutcome.Passed);
        card["resolution-sla"].Outcome.Should().Be(RuleOutcome.Passed);
    }

    [Fact]
    public async Task Untouched_PastTheFirstResponseDue_FailsIt_AndTheRestIsNotApplicableYet()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Transaksi", "Tinggi");

        var before = await s.Quality.ScorecardAsync(ticket.Id);
        before.Rules.Should().OnlyContain(r => r.Outcome == RuleOutcome.NotApplicable, "nothing is due yet");
        before.Score.Should().BeNull();

        s.Clock.Advance(TimeSpan.FromHours(3)); // past the 2 working hours of Tinggi
        var card = await s.Quality.ScorecardAsync(ticket.Id);
        card["first-response-sla"].Outcome.Should().Be(RuleOutcome.Failed);
        card["resolution-sla"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["ticket-received"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card["ticket-note-before-close"].Outcome.Should().Be(RuleOutcome.NotApplicable);
        card.Score.Should().Be(0);
    }

    [Fact]
    public async Task ClosedLate_FailsBothSlaRules()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Transaksi", "Rendah");

        s.Clock.Advance(TimeSpan.FromDays(30)); // past 10 working days
        await s.Desk.CloseAsync(ticket.Id, "Akhirnya selesai", "tier2.budi");

        var card = await s.Quality.ScorecardAsync(ticket.Id);
        card["first-response-sla"].Outcome.Should().Be(RuleOutcome.Failed);
        card["resolution-sla"].Outcome.Should().Be(RuleOutcome.Failed);
        card["ticket-note-before-close"].Outcome.Should().Be(RuleOutcome.Passed);
    }

    [Fact]
    public async Task Cancelled_WithTheRelatedTeam_FailsTheStepsItNeverReached()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Transaksi", "Rendah");
        var untouched = await TicketDeskTests.OpenAsync(s.Fixture, "Transaksi", "Rendah");
        await s.Desk.DispatchAsync(ticket.Id, "Divisi Gadai", null, "tier2.budi");

        await s.Fixture.Runtime.CancelAsync(ticket.Id, "Nasabah mencabut pengaduan", "leader.rina");
        await s.Fixture.Runtime.CancelAsync(untouched.Id, "Duplikat", "leader.rina");

        var card = await s.Quality.ScorecardAsync(ticket.Id);
        card["related-team-note"].Outcome.Should().Be(RuleOutcome.Failed);
        card["ticket-note-before-close"].Outcome.Should().Be(RuleOutcome.Failed);
        card["ticket-decision"].Outcome.Should().Be(RuleOutcome.Passed);
        var never = await s.Quality.ScorecardAsync(untouched.Id);
        never["ticket-received"].Outcome.Should().Be(RuleOutcome.Failed);
        never["ticket-decision"].Outcome.Should().Be(RuleOutcome.Failed);
        never["related-team-note"].Outcome.Should().Be(RuleOutcome.NotApplicable);
    }

    [Fact]
    public async Task Histories_ListTickets_WithTheirScore_FilterableByKind()
    {
        await using var s = await StartAsync();
        var ticket = await TicketDeskTests.OpenAsync(s.Fixture, "Layanan", "Rendah");
        await s.Desk.CloseAsync(ticket.Id, "Selesai", "tier2.budi");
        var histories = s.Fixture.Host!.Services.GetRequiredService<QualityHistories>();

        var all = await histories.SearchAsync(new QualityHistoryQuery(null, null, null, null, null, null, 50));
        all.Should().Contain(r => r.Id == ticket.Id && r.Channel == "ticket" && r.Score == 100);
        (await histories.SearchAsync(new QualityHistoryQuery(null, null, null, null, null, null, 50) { Kind = "ticket" })).Should().OnlyContain(r => r.Channel == "ticket");
        (await histories.SearchAsync(new QualityHistoryQuery(null, null, null, null, null, null, 50) { Kind = "conversation" })).Should().NotContain(r => r.Id == ticket.Id);
    }

    private static async Task CompleteRelatedTeamAsync(Setup s, Guid id, string note)
    {
        for (var i = 0; i < 4; i++)
        {
            var item = (await s.Fixture.Runtime.GetStateAsync(id)).WorkItems.Single();
            var data = item.Fields.Contains("catatan") ? new Dictionary<string, Value> { ["catatan"] = note } : null;
            await s.Fixture.Runtime.CompleteWorkItemAsync(id, item.Id, null, data, "terkait.dewi");
        }
    }

    private static async Task<Setup> StartAsync()
    {
        var fixture = new RuntimeFixture(withRepoWorkflows: true, DatabaseProvider.Sqlite);
        var clock = new FakeTimeProvider(Opened);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        return new Setup(fixture, clock, fixture.Host!.Services.GetRequiredService<TicketDesk>(), fixture.Host.Services.GetRequiredService<QualityService>());
    }

    private sealed record Setup(RuntimeFixture Fixture, FakeTimeProvider Clock, TicketDesk Desk, QualityService Quality) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Fixture.DisposeAsync();
    }
}

using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>Scorecards of conversations run by the real runtime, and manual reviews kept on the real SQLite store across a restart.</summary>
public class QualityServiceTests
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    /// <summary>Works an inbound call to its end, each step <paramref name="step"/> after the one before; "Tidak" at every decision.</summary>
    private static async Task<Guid> CallAsync(RuntimeFixture fixture, FakeTimeProvider clock, string agent, TimeSpan step)
    {
        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = agent, Actor = agent, Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" } });
        for (var i = 0; i < 20; i++)
        {
            var state = await fixture.Runtime.GetStateAsync(call.Id);
            if (state.WorkItems.Count == 0)
            {
                break;
            }

            clock.Advance(step);
            var item = state.WorkItems.Single();
            await fixture.Runtime.CompleteWorkItemAsync(call.Id, item.Id, item.Outcomes.Length > 0 ? "Tidak" : null, DocumentedData.For(item), agent);
        }

        return call.Id;
    }

    private static QualityService Quality(RuntimeFixture fixture) => fixture.Host!.Services.GetRequiredService<QualityService>();

    [Fact]
    public async Task Scorecard_CallRunByTheRuntime_PassesEveryRuleThatApplies()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 10, 0, 0, Wib));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var id = await CallAsync(fixture, clock, "agent.sari", TimeSpan.FromSeconds(20));

        var card = await Quality(fixture).ScorecardAsync(id);

        card.DefinitionKey.Should().Be("inbound-call");
        card.Failed.Should().Be(0);
        card.Score.Should().Be(100);
        card["closing-greeting"].Evidence.Should().Contain(e => e.What.Contains("$context", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scorecard_ClosingTaskOpenedBefore1800AndDoneAfter_FailsTheClosingGreeting()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        // Eight steps of 10 s reach the closing task at 17:59:20; it is done two minutes later, at 18:01:20.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 17, 58, 0, Wib));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari", Variables = new Dictionary<string, Value> { ["namaAgent"] = "Sari" } });
        for (var i = 0; i < 20; i++)
        {
            var state = await fixture.Runtime.GetStateAsync(call.Id);
            if (state.WorkItems.Count == 0)
            {
                break;
            }

            var item = state.WorkItems.Single();
            clock.Advance(item.ElementId == "Task_SalamPenutup" ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(10));
            await fixture.Runtime.CompleteWorkItemAsync(call.Id, item.Id, item.Outcomes.Length > 0 ? "Tidak" : null, DocumentedData.For(item), "agent.sari");
        }

        var result = (await Quality(fixture).ScorecardAsync(call.Id))["closing-greeting"];

        result.Outcome.Should().Be(RuleOutcome.Failed);
        result.Evidence.Should().Contain(e => e.What.Contains("Selamat beraktifitas.", StringComparison.Ordinal), "the script was rendered at 17:59:20");
        result.Evidence.Should().Contain(e => e.What == "salamPenutup = Selamat beristirahat (variables-set@1 on $context)", "the runtime journals the greeting of the minute of every command");
        result.Evidence[^1].What.Should().Contain("18:01:20").And.Contain("\"Selamat beristirahat\"");
    }

    [Fact]
    public async Task Review_PersistedOnSqlite_SurvivesARestartAndFeedsTheSummary()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 10, 0, 0, Wib));
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var sari = await CallAsync(fixture, clock, "agent.sari", TimeSpan.FromSeconds(20));
        var budi = await CallAsync(fixture, clock, "agent.budi", TimeSpan.FromSeconds(20));
        await Quality(fixture).ReviewAsync(sari, "qc.agus", 70, "  Verifikasi terlalu singkat  ");
        clock.Advance(TimeSpan.FromMinutes(5));
        await Quality(fixture).ReviewAsync(sari, "qc.agus", 85, "Setelah kalibrasi");
        await Quality(fixture).ReviewAsync(budi, "qc.agus", 95, null);

        await fixture.StopAsync();
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));

        var reviews = await Quality(fixture).ReviewsAsync(sari);
        reviews.Select(r => (r.Score, r.Note, r.Agent, r.Reviewer)).Should().Equal((70, "Verifikasi terlalu singkat", "agent.sari", "qc.agus"), (85, "Setelah kalibrasi", "agent.sari", "qc.agus"));
        var day = new DateTimeOffset(2026, 3, 3, 0, 0, 0, Wib);
        var summary = await Quality(fixture).SummaryAsync(day, day.AddDays(1));
        summary.Team.Conversations.Should().Be(2);
        summary.Team.AverageManualScore.Should().Be(90m, "the latest review of each conversation counts: 85 and 95");
        summary.Agents.Select(a => (a.Agent, a.AverageManualScore)).Should().Equal(("agent.budi", 95m), ("agent.sari", 85m));
        summary.Team.Rules.Single(r => r.RuleId == "cross-selling").PassRate.Should().Be(100m);
        (await Quality(fixture).SummaryAsync(day, day.AddDays(1), "agent.budi")).Team.Conversations.Should().Be(1);
        (await Quality(fixture).SummaryAsync(day.AddDays(1), day.AddDays(2))).Team.Conversations.Should().Be(0);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task Review_ScoreOutsideZeroToHundred_IsRefused(int score)
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();
        var call = await fixture.Runtime.StartAsync(new StartRequest { DefinitionKey = "inbound-call", Channel = "inbound-call", Agent = "agent.sari" });

        var act = () => Quality(fixture).ReviewAsync(call.Id, "qc.agus", score, null);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await Quality(fixture).ReviewsAsync(call.Id)).Should().BeEmpty();
    }

    [Fact]
    public async Task Review_UnknownInstance_IsNotFound()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        await fixture.StartAsync();

        var act = () => Quality(fixture).ReviewAsync(Guid.NewGuid(), "qc.agus", 50, null);

        await act.Should().ThrowAsync<InstanceNotFoundException>();
    }
}

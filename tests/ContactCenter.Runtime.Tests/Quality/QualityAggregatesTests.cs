using ContactCenter.Modules.Quality;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>Pass rate per rule and mean scores, per agent and for the team, over a period.</summary>
public class QualityAggregatesTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(7));

    private static ScoredConversation Conversation(string golden, string agent, int hour, int? manual = null)
    {
        var id = Guid.NewGuid();
        var review = manual is { } score ? new QualityReview { Id = Guid.NewGuid(), InstanceId = id, Agent = agent, Reviewer = "qc.agus", Score = score, ReviewedAt = Day.AddDays(1) } : null;
        return new ScoredConversation(id, agent, Day.AddHours(hour), Goldens.Score(golden), review);
    }

    private static List<ScoredConversation> Period() =>
    [
        Conversation("whatsapp/happy-path", "agent.sari", 9, manual: 90),
        Conversation("live-chat/complaint-then-silence", "agent.sari", 10, manual: 60),
        Conversation("inbound-call/happy-path", "agent.budi", 11),
        Conversation("whatsapp/silence-closes-chat", "agent.budi", 12, manual: 80),
        Conversation("email/happy-path", "agent.budi", 23 + 24), // the next day: outside a one-day period
    ];

    [Fact]
    public void Summarize_Team_PassRatePerRuleAndMeanManualScore()
    {
        var summary = QualityAggregates.Summarize(Day, Day.AddDays(1), null, Period());

        summary.Team.Conversations.Should().Be(4);
        summary.Team.Reviewed.Should().Be(3);
        summary.Team.AverageManualScore.Should().Be(76.7m);
        var documentation = summary.Team.Rules.Single(r => r.RuleId == "documentation");
        documentation.Should().BeEquivalentTo(new { Passed = 3, Failed = 1, NotApplicable = 0, PassRate = 75m });
        var prompts = summary.Team.Rules.Single(r => r.RuleId == "still-connected-prompts");
        prompts.Should().BeEquivalentTo(new { Passed = 2, Failed = 0, NotApplicable = 2, PassRate = 100m });
        summary.Team.Rules.Select(r => r.RuleId).Should().Equal(ScorecardRules.All.Select(r => r.Id));
        summary.Team.Rules.Should().OnlyContain(r => r.SopSource.Length > 0);
    }

    [Fact]
    public void Summarize_PerAgent_SplitsTheTeam()
    {
        var summary = QualityAggregates.Summarize(Day, Day.AddDays(1), null, Period());

        summary.Agents.Select(a => a.Agent).Should().Equal("agent.budi", "agent.sari");
        var sari = summary.Agents.Single(a => a.Agent == "agent.sari");
        sari.Conversations.Should().Be(2);
        sari.AverageManualScore.Should().Be(75m);
        sari.Rules.Single(r => r.RuleId == "documentation").PassRate.Should().Be(50m);
        var budi = summary.Agents.Single(a => a.Agent == "agent.budi");
        budi.AverageManualScore.Should().Be(80m);
        budi.AverageScore.Should().Be(100m);
        budi.Rules.Single(r => r.RuleId == "complaint-ticket").PassRate.Should().BeNull("no complaint in budi's conversations");
    }

    [Fact]
    public void Summarize_AgentFilterAndPeriod_KeepOnlyThose()
    {
        var summary = QualityAggregates.Summarize(Day, Day.AddDays(2), "agent.budi", Period());

        summary.Team.Conversations.Should().Be(3);
        summary.Agents.Should().ContainSingle().Which.Agent.Should().Be("agent.budi");
    }

    [Fact]
    public void Summarize_Nothing_HasNoRatesAndNoAverages()
    {
        var summary = QualityAggregates.Summarize(Day, Day.AddDays(1), null, []);

        summary.Team.Conversations.Should().Be(0);
        summary.Team.AverageManualScore.Should().BeNull();
        summary.Team.AverageScore.Should().BeNull();
        summary.Team.Rules.Should().OnlyContain(r => r.PassRate == null);
        summary.Agents.Should().BeEmpty();
    }
}

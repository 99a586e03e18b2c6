namespace ContactCenter.Modules.Quality;

/// <summary>How often one rule passed among the conversations of a group.</summary>
/// <param name="PassRate">Passed as a percentage (0–100, one decimal) of the conversations the rule applied to; null when it applied to none.</param>
public sealed record RulePassRate(string RuleId, string Title, string SopSource, int Passed, int Failed, int NotApplicable, decimal? PassRate);

/// <summary>The scorecards and manual scores of a group of conversations: one agent's, or the team's.</summary>
/// <param name="Agent">The agent, or null for the team (every agent in the period).</param>
/// <param name="Conversations">Conversations started in the period.</param>
/// <param name="Reviewed">Of them, those with a manual review.</param>
/// <param name="AverageScore">Mean automatic <see cref="Scorecard.Score"/> over conversations that have one.</param>
/// <param name="AverageManualScore">Mean of the latest manual score of each reviewed conversation.</param>
public sealed record QualityGroup(string? Agent, int Conversations, int Reviewed, decimal? AverageScore, decimal? AverageManualScore, IReadOnlyList<RulePassRate> Rules);

/// <summary>The Team Leader's view of a period: the team, then each agent.</summary>
/// <param name="From">Start of the period, inclusive (conversations by their start).</param>
/// <param name="To">End of the period, exclusive.</param>
/// <param name="AgentFilter">When given, the team is that agent alone.</param>
public sealed record QualitySummary(DateTimeOffset From, DateTimeOffset To, string? AgentFilter, QualityGroup Team, IReadOnlyList<QualityGroup> Agents);

/// <summary>One conversation's scorecard and its latest manual review, the input of the aggregates.</summary>
public sealed record ScoredConversation(Guid InstanceId, string? Agent, DateTimeOffset StartedAt, Scorecard Scorecard, QualityReview? Review);

/// <summary>Aggregates scorecards and manual scores per agent and for the team. Pure.</summary>
public static class QualityAggregates
{
    public static QualitySummary Summarize(DateTimeOffset from, DateTimeOffset to, string? agentFilter, IEnumerable<ScoredConversation> conversations)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var list = conversations.Where(c => c.StartedAt >= from && c.StartedAt < to && (agentFilter is null || c.Agent == agentFilter)).ToList();
        var agents = list.GroupBy(c => c.Agent ?? string.Empty, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.Key.Length == 0 ? null : g.Key, [.. g]))
            .ToList();
        return new QualitySummary(from, to, agentFilter, Group(null, list), agents);
    }

    public static QualityGroup Group(string? agent, IReadOnlyList<ScoredConversation> conversations)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var rules = ScorecardRules.All.Select(rule =>
        {
            var outcomes = conversations.Select(c => c.Scorecard.Rules.FirstOrDefault(r => r.RuleId == rule.Id)?.Outcome ?? RuleOutcome.NotApplicable).ToList();
            var passed = outcomes.Count(o => o == RuleOutcome.Passed);
            var failed = outcomes.Count(o => o == RuleOutcome.Failed);
            return new RulePassRate(rule.Id, rule.Title, rule.SopSource, passed, failed, outcomes.Count - passed - failed, Percent(passed, passed + failed));
        }).ToList();
        var scores = conversations.Select(c => c.Scorecard.Score).OfType<decimal>().ToList();
        var manual = conversations.Select(c => c.Review?.Score).OfType<int>().ToList();
        return new QualityGroup(
            agent,
            conversations.Count,
            manual.Count,
            scores.Count == 0 ? null : Math.Round(scores.Average(), 1),
            manual.Count == 0 ? null : Math.Round((decimal)manual.Sum() / manual.Count, 1),
            rules);
    }

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1);
}

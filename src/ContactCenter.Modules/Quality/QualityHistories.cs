using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Quality;

/// <summary>What Quality Control searches by; empty strings and nulls mean "any".</summary>
/// <param name="Outcome"><c>silence</c> (closed by silence) or <c>ticket</c> (raised a ticket), or null.</param>
/// <param name="Limit">How many histories to answer, 1 to 200.</param>
public sealed record QualityHistoryQuery(string? Agent, string? Channel, InstanceStatus? Status, DateTimeOffset? From, DateTimeOffset? To, string? Outcome, int Limit);

/// <summary>
/// Quality Control's search over conversation histories: by agent, channel, start date and
/// outcome (status; closed by silence; ticket raised), newest first, each with what it came to,
/// its automatic SOP score and the latest manual review. Ticket-escalation instances are left out
/// unless <c>channel=ticket</c> is asked for.
/// </summary>
public sealed class QualityHistories(IInstanceStore store, IInstanceQueries queries, IQualityReviewStore reviews, DefinitionCatalog catalog, ScorecardEvaluator evaluator)
{
    /// <summary>Outcomes the search filters on beyond the status.</summary>
    public static readonly string[] Outcomes = ["silence", "ticket"];

    /// <summary>Most histories one search reads when filtering on an outcome (the filter applies after reading).</summary>
    public const int MaxScanned = 500;

    /// <summary>
    /// One history in the search. <c>Score</c> is the automatic scorecard's score (0-100), null when
    /// no rule applies or it cannot be scored; <c>ReviewScore</c> the latest manual review's, null when not reviewed.
    /// </summary>
    public sealed record HistoryRow(
        Guid Id,
        string DefinitionKey,
        int DefinitionVersion,
        string Channel,
        string? CustomerRef,
        string? Agent,
        InstanceStatus Status,
        DateTimeOffset StartedAt,
        DateTimeOffset? EndedAt,
        string? EndReason,
        bool ClosedBySilence,
        int TicketsRaised,
        int Events,
        decimal? Score,
        int? Passed,
        int? Failed,
        int? ReviewScore,
        string? Reviewer);

    public async Task<IReadOnlyList<HistoryRow>> SearchAsync(QualityHistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var wanted = query.Limit;
        var filtering = !string.IsNullOrEmpty(query.Outcome) || string.IsNullOrEmpty(query.Channel);
        var records = await queries.QueryAsync(
            new InstanceQuery
            {
                Status = query.Status,
                Agent = string.IsNullOrEmpty(query.Agent) ? null : query.Agent,
                Channel = string.IsNullOrEmpty(query.Channel) ? null : query.Channel,
                StartedFrom = query.From,
                StartedTo = query.To,
                Limit = filtering ? MaxScanned : wanted,
            },
            cancellationToken).ConfigureAwait(false);
        var candidates = records.Where(r => !string.IsNullOrEmpty(query.Channel) || r.Channel != QualityService.TicketChannel).ToList();
        var rows = new List<(InstanceRecord Record, IReadOnlyList<WorkflowEvent> Journal, WhatIfOutcome Outcome)>();
        foreach (var record in candidates)
        {
            if (rows.Count >= wanted)
            {
                break;
            }

            var journal = await ReadableJournal.ReadAsync(store, record.Id, cancellationToken).ConfigureAwait(false);
            var result = ConversationOutcomes.Of(journal);
            if ((query.Outcome == "silence" && !result.ClosedBySilence) || (query.Outcome == "ticket" && result.TicketsRaised == 0))
            {
                continue;
            }

            rows.Add((record, journal, result));
        }

        var latest = await reviews.LatestAsync([.. rows.Select(r => r.Record.Id)], cancellationToken).ConfigureAwait(false);
        var answer = new List<HistoryRow>(rows.Count);
        foreach (var (record, journal, result) in rows)
        {
            var scorecard = await ScoreAsync(record, journal, cancellationToken).ConfigureAwait(false);
            var review = latest.GetValueOrDefault(record.Id);
            answer.Add(new HistoryRow(
                record.Id, record.DefinitionKey, record.DefinitionVersion, record.Channel, record.CustomerRef, record.Agent, record.Status,
                record.StartedAt, record.EndedAt, InstanceState.FromJson(record.Snapshot).EndReason, result.ClosedBySilence, result.TicketsRaised, journal.Count,
                scorecard?.Score, scorecard?.Passed, scorecard?.Failed, review?.Score, review?.Reviewer));
        }

        return answer;
    }

    /// <summary>The scorecard, or null when the history cannot be scored (an unreadable start, a version gone from the catalogue).</summary>
    private async Task<Scorecard?> ScoreAsync(InstanceRecord record, IReadOnlyList<WorkflowEvent> journal, CancellationToken cancellationToken)
    {
        if (journal.Count == 0 || record.Channel == QualityService.TicketChannel)
        {
            return null;
        }

        try
        {
            var definitions = await catalog.DefinitionSetAsync(record.PinnedVersions, journal, cancellationToken).ConfigureAwait(false);
            return evaluator.Evaluate(journal, definitions);
        }
        catch (Exception e) when (e is CatalogException or ArgumentException or KeyNotFoundException)
        {
            return null;
        }
    }
}

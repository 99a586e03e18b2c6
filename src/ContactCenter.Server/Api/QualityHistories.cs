using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Quality Control's search over conversation histories: by agent, channel, start date and
/// outcome (status; closed by silence; ticket raised), newest first, each with what it came to,
/// its automatic SOP score and the latest manual review. Ticket-escalation instances are left out
/// unless <c>channel=ticket</c> is asked for.
/// </summary>
public static class QualityHistories
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

    internal static void MapQualityHistories(this IEndpointRouteBuilder app, string[] readers) =>
        app.MapGet("/api/quality/histories", SearchAsync)
            .WithTags("Quality")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(readers))
            .WithSummary("Conversation histories for QC, newest first: filter by agent, channel, status, start date [from, to) and outcome (silence, ticket); each with end reason, silence close, tickets, automatic score and latest review.")
            .ProducesValidationProblem().ProducesProblem(403);

    private static async Task<Results<Ok<IReadOnlyList<HistoryRow>>, ValidationProblem>> SearchAsync(
        string? agent,
        string? channel,
        string? status,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? outcome,
        int? limit,
        IInstanceStore store,
        IQualityReviewStore reviews,
        DefinitionCatalog catalog,
        ScorecardEvaluator evaluator,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        InstanceStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) && s != InstanceStatus.NotStarted)
            {
                parsedStatus = s;
            }
            else
            {
                errors["status"] = [$"'{status}' is not one of Running, Completed, Cancelled, Faulted"];
            }
        }

        if (!string.IsNullOrEmpty(outcome) && !Outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            errors["outcome"] = [$"'{outcome}' is not one of {string.Join(", ", Outcomes)}"];
        }

        if (limit is < 1 or > 200)
        {
            errors["limit"] = ["between 1 and 200"];
        }

        if (from is not null && to is not null && to < from)
        {
            errors["to"] = ["'to' is before 'from'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var wanted = limit ?? 50;
        var filtering = !string.IsNullOrEmpty(outcome) || string.IsNullOrEmpty(channel);
        var records = await store.QueryAsync(
            new InstanceQuery
            {
                Status = parsedStatus,
                Agent = string.IsNullOrEmpty(agent) ? null : agent,
                Channel = string.IsNullOrEmpty(channel) ? null : channel,
                StartedFrom = from,
                StartedTo = to,
                Limit = filtering ? MaxScanned : wanted,
            },
            cancellationToken).ConfigureAwait(false);
        var candidates = records.Where(r => !string.IsNullOrEmpty(channel) || r.Channel != QualityService.TicketChannel).ToList();
        var rows = new List<(InstanceRecord Record, IReadOnlyList<WorkflowEvent> Journal, WhatIfOutcome Outcome)>();
        foreach (var record in candidates)
        {
            if (rows.Count >= wanted)
            {
                break;
            }

            var journal = await ReadableJournal.ReadAsync(store, record.Id, cancellationToken).ConfigureAwait(false);
            var result = WhatIfReplay.OutcomeOf(journal);
            if ((outcome == "silence" && !result.ClosedBySilence) || (outcome == "ticket" && result.TicketsRaised == 0))
            {
                continue;
            }

            rows.Add((record, journal, result));
        }

        var latest = await reviews.LatestAsync([.. rows.Select(r => r.Record.Id)], cancellationToken).ConfigureAwait(false);
        var answer = new List<HistoryRow>(rows.Count);
        foreach (var (record, journal, result) in rows)
        {
            var scorecard = await ScoreAsync(record, journal, catalog, evaluator, cancellationToken).ConfigureAwait(false);
            var review = latest.GetValueOrDefault(record.Id);
            answer.Add(new HistoryRow(
                record.Id, record.DefinitionKey, record.DefinitionVersion, record.Channel, record.CustomerRef, record.Agent, record.Status,
                record.StartedAt, record.EndedAt, InstanceState.FromJson(record.Snapshot).EndReason, result.ClosedBySilence, result.TicketsRaised, journal.Count,
                scorecard?.Score, scorecard?.Passed, scorecard?.Failed, review?.Score, review?.Reviewer));
        }

        return TypedResults.Ok<IReadOnlyList<HistoryRow>>(answer);
    }

    /// <summary>The scorecard, or null when the history cannot be scored (an unreadable start, a version gone from the catalogue).</summary>
    private static async Task<Scorecard?> ScoreAsync(InstanceRecord record, IReadOnlyList<WorkflowEvent> journal, DefinitionCatalog catalog, ScorecardEvaluator evaluator, CancellationToken cancellationToken)
    {
        if (journal.Count == 0 || record.Channel == QualityService.TicketChannel)
        {
            return null;
        }

        try
        {
            var definitions = await catalog.DefinitionSetAsync(record.PinnedVersions, cancellationToken).ConfigureAwait(false);
            return evaluator.Evaluate(journal, definitions);
        }
        catch (Exception e) when (e is CatalogException or ArgumentException or KeyNotFoundException)
        {
            return null;
        }
    }
}

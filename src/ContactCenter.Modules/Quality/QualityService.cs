using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// Quality Control over stored conversations: the SOP scorecard of one (its journal on the
/// definition versions it is pinned to), manual reviews, and the Team Leader's aggregates per
/// agent, team and period.
/// </summary>
public sealed class QualityService(DefinitionCatalog catalog, IInstanceStore instances, IInstanceQueries queries, IQualityReviewStore reviews, ScorecardEvaluator evaluator, TimeProvider clock)
{
    /// <summary>The channel of ticket-escalation instances, which are not conversations and get no scorecard in aggregates.</summary>
    public const string TicketChannel = "ticket";

    /// <summary>Most conversations one summary reads. Default is 5,000.</summary>
    public int MaxConversationsPerSummary { get; init; } = 5000;

    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<Scorecard> ScorecardAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var record = await instances.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);
        return await ScoreAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a manual review of a conversation.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The score is outside 0–100.</exception>
    /// <exception cref="ArgumentException">No reviewer, or a note longer than <see cref="QualityReview.MaxNoteLength"/>.</exception>
    public async Task<QualityReview> ReviewAsync(Guid instanceId, string reviewer, int score, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewer);
        ArgumentOutOfRangeException.ThrowIfLessThan(score, QualityReview.MinScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, QualityReview.MaxScore);
        if (note is { Length: > QualityReview.MaxNoteLength })
        {
            throw new ArgumentException($"the note is longer than {QualityReview.MaxNoteLength} characters", nameof(note));
        }

        var record = await instances.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);
        var now = clock.GetUtcNow();
        var review = new QualityReview
        {
            Id = Guid.CreateVersion7(now),
            InstanceId = record.Id,
            Agent = record.Agent,
            Reviewer = reviewer,
            Score = score,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            ReviewedAt = now,
        };
        await reviews.AddAsync(review, cancellationToken).ConfigureAwait(false);
        return review;
    }

    /// <summary>The reviews of a conversation, oldest first.</summary>
    public Task<IReadOnlyList<QualityReview>> ReviewsAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        reviews.ListAsync(instanceId, cancellationToken);

    /// <summary>
    /// Pass rate per rule, mean automatic score and mean manual score (latest review per
    /// conversation) of the conversations started in [<paramref name="from"/>, <paramref name="to"/>),
    /// for the team and per agent; only <paramref name="agent"/>'s when given.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public async Task<QualitySummary> SummaryAsync(DateTimeOffset from, DateTimeOffset to, string? agent = null, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            throw new ArgumentException($"the period's end {to:O} is not after its start {from:O}", nameof(to));
        }

        var found = await queries.QueryAsync(new InstanceQuery { StartedFrom = from, StartedTo = to, Agent = agent, Limit = MaxConversationsPerSummary }, cancellationToken).ConfigureAwait(false);
        var conversations = found.Where(r => r.Channel != TicketChannel).ToList();
        var latest = await reviews.LatestAsync([.. conversations.Select(c => c.Id)], cancellationToken).ConfigureAwait(false);
        var scored = new List<ScoredConversation>(conversations.Count);
        foreach (var record in conversations)
        {
            scored.Add(new ScoredConversation(record.Id, record.Agent, record.StartedAt, await ScoreAsync(record, cancellationToken).ConfigureAwait(false), latest.GetValueOrDefault(record.Id)));
        }

        return QualityAggregates.Summarize(from, to, agent, scored);
    }

    private async Task<Scorecard> ScoreAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var rows = await instances.ReadJournalAsync(record.Id, cancellationToken).ConfigureAwait(false);
        var journal = rows.OrderBy(r => r.Sequence).Select(r => JournalSerializer.Deserialize(r.Json)).ToList();
        var definitions = await catalog.DefinitionSetAsync(record.PinnedVersions, journal, cancellationToken).ConfigureAwait(false);
        return evaluator.Evaluate(journal, definitions);
    }
}

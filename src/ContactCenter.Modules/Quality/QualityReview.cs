namespace ContactCenter.Modules.Quality;

/// <summary>A Quality Control officer's manual score (0–100) and note on one conversation.</summary>
public sealed record QualityReview
{
    public const int MinScore = 0;

    public const int MaxScore = 100;

    /// <summary>Longest note kept. Default is 4,000 characters.</summary>
    public const int MaxNoteLength = 4000;

    public required Guid Id { get; init; }

    public required Guid InstanceId { get; init; }

    /// <summary>The agent the conversation belonged to when it was reviewed (what the Team Leader's aggregates group by).</summary>
    public string? Agent { get; init; }

    /// <summary>The Quality Control user.</summary>
    public required string Reviewer { get; init; }

    public required int Score { get; init; }

    public string? Note { get; init; }

    public required DateTimeOffset ReviewedAt { get; init; }
}

/// <summary>Where manual reviews are kept. A conversation may be reviewed again; the latest review counts.</summary>
public interface IQualityReviewStore
{
    Task AddAsync(QualityReview review, CancellationToken cancellationToken = default);

    /// <summary>The reviews of one conversation, oldest first.</summary>
    Task<IReadOnlyList<QualityReview>> ListAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>The latest review of each of <paramref name="instanceIds"/> that has one.</summary>
    Task<IReadOnlyDictionary<Guid, QualityReview>> LatestAsync(IReadOnlyCollection<Guid> instanceIds, CancellationToken cancellationToken = default);
}

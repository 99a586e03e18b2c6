namespace ContactCenter.Runtime.Storage;

/// <summary>
/// A notice to people, kept until someone it is meant for acknowledges it. Created once per
/// delivered outbox message: <see cref="Id"/> is the message's id, so a redelivery adds nothing.
/// </summary>
public sealed record NotificationRecord
{
    public const int MaxTitleLength = 500;
    public const int MaxTextLength = 4_000;

    /// <summary>The outbox message's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>What kind of notice it is (the service that raised it).</summary>
    public required string Kind { get; init; }

    /// <summary>A short line for the reader.</summary>
    public required string Title { get; init; }

    /// <summary>What the reader should know or do.</summary>
    public required string Text { get; init; }

    /// <summary>The instance that raised it.</summary>
    public required Guid InstanceId { get; init; }

    /// <summary>A reference the reader recognises the case by (a customer or a ticket), if any.</summary>
    public string? Reference { get; init; }

    /// <summary>Who it is for: principals built with <see cref="NotificationAudience"/>; a reader who holds any of them sees it.</summary>
    public required IReadOnlyList<string> Audience { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The user name of who acknowledged it; null while it waits.</summary>
    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }
}

/// <summary>
/// The principals a notification's audience is made of, and a reader holds: a role, a group (a
/// unit, a team; compared without case or surrounding blanks) or one user (without case).
/// </summary>
public static class NotificationAudience
{
    public static string Role(string role) => "role:" + role;

    public static string Group(string group) => "group:" + group.Trim().ToUpperInvariant();

    public static string User(string userName) => "user:" + userName.Trim().ToUpperInvariant();

    /// <summary>The principals of a reader: one per role, their group if any, and their user name.</summary>
    public static IReadOnlyList<string> Of(string userName, IEnumerable<string> roles, string? group)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var principals = roles.Select(Role).ToList();
        if (!string.IsNullOrWhiteSpace(group))
        {
            principals.Add(Group(group));
        }

        if (!string.IsNullOrWhiteSpace(userName))
        {
            principals.Add(User(userName));
        }

        return principals;
    }
}

/// <summary>What <see cref="INotificationStore.AcknowledgeAsync"/> did.</summary>
public enum AcknowledgeOutcome
{
    /// <summary>It was waiting and is now acknowledged by the caller.</summary>
    Acknowledged,

    /// <summary>Someone acknowledged it before: it keeps who and when, unchanged.</summary>
    AlreadyAcknowledged,

    /// <summary>There is no such notification.</summary>
    NotFound,
}

/// <summary>Durable notifications: written by an outbox handler, read and acknowledged by their audience.</summary>
/// <remarks>Every failure to write throws: the outbox then retries the message instead of losing the notice.</remarks>
public interface INotificationStore
{
    /// <summary>Stores a notification; false (and nothing changes) when one with its id is already stored.</summary>
    Task<bool> AddAsync(NotificationRecord notification, CancellationToken cancellationToken = default);

    Task<NotificationRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The notifications meant for any of <paramref name="audience"/> that are still waiting, and those
    /// acknowledged at or after <paramref name="acknowledgedSince"/>; newest first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<NotificationRecord>> ListAsync(IReadOnlyCollection<string> audience, DateTimeOffset acknowledgedSince, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks a waiting notification acknowledged by <paramref name="by"/> at <paramref name="at"/>; the first acknowledgement stands.</summary>
    Task<AcknowledgeOutcome> AcknowledgeAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Deletes notifications acknowledged before <paramref name="before"/>, at most <paramref name="max"/>; how many went.</summary>
    Task<int> DeleteAcknowledgedBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);
}

namespace ContactCenter.Runtime.Storage;

/// <summary>Raised when a commit's expected version is no longer the stored one: someone else acted first.</summary>
public sealed class ConcurrencyConflictException(Guid instanceId, long expectedVersion, string message)
    : Exception(message)
{
    public Guid InstanceId { get; } = instanceId;

    public long ExpectedVersion { get; } = expectedVersion;
}

/// <summary>The definition catalogue's storage.</summary>
public interface IDefinitionStore
{
    Task<IReadOnlyList<DefinitionVersionRecord>> ListAsync(string? key, CancellationToken cancellationToken = default);

    Task<DefinitionVersionRecord?> GetAsync(string key, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// The number of the published version of <paramref name="key"/> in effect at <paramref name="at"/>
    /// (the latest effective date not after it, then the highest number); null when there is none.
    /// Reads no BPMN: every new instance asks this.
    /// </summary>
    Task<int?> GetVersionInEffectAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Adds a new version; its number must be the next for its key.</summary>
    Task AddAsync(DefinitionVersionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a version's row, provided its status is still <paramref name="expectedStatus"/>; false otherwise.</summary>
    Task<bool> UpdateAsync(DefinitionVersionRecord record, VersionStatus expectedStatus, CancellationToken cancellationToken = default);
}

/// <summary>
/// The write path: one instance read (row and journal) and the commit of an instance's changes
/// (row, events, timers, outbox rows, read-model changes) together. Listing, counting and
/// retention are separate ports (<see cref="IInstanceQueries"/>, <see cref="IRetentionStore"/>).
/// </summary>
public interface IInstanceStore
{
    Task<InstanceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the instance row, appends its events, records armed and removed timers and the
    /// outbox rows, in one transaction.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <see cref="InstanceCommit.ExpectedVersion"/>.</exception>
    Task CommitAsync(InstanceCommit commit, CancellationToken cancellationToken = default);
}

/// <summary>The read side over many instances: lists and counts for screens, gauges and tools.</summary>
public interface IInstanceQueries
{
    Task<IReadOnlyList<InstanceRecord>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every committed timer that has not fired or been cancelled, soonest first.</summary>
    Task<IReadOnlyList<TimerRecord>> ListPendingTimersAsync(CancellationToken cancellationToken = default);

    /// <summary>How many instances are running, per channel (channels with none are absent); counted, no rows read.</summary>
    Task<IReadOnlyDictionary<string, int>> CountRunningByChannelAsync(CancellationToken cancellationToken = default);
}

/// <summary>What retention reads and deletes: ended instances, whole.</summary>
public interface IRetentionStore
{
    /// <summary>Instances that ended before <paramref name="before"/>, oldest end first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListEndedBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an ended instance whole (row, journal, timers, delivered outbox rows and read-model rows; counters stay) in one
    /// transaction, provided it is still at <paramref name="expectedVersion"/> and has no
    /// undelivered outbox row; false when it was not deleted.
    /// </summary>
    Task<bool> DeleteAsync(Guid id, long expectedVersion, CancellationToken cancellationToken = default);
}

/// <summary>The outbox's delivery side.</summary>
public interface IOutboxStore
{
    /// <summary>Undelivered rows whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<OutboxRecord>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes undelivered rows due at <paramref name="now"/>, oldest first, at most <paramref name="max"/>,
    /// for one dispatcher: each is made due again only at <paramref name="claimedUntil"/>, in the
    /// same statement, so another dispatcher (another process) racing for them gets other rows.
    /// A claimant that dies leaves its rows to be taken again once the claim lapses.
    /// </summary>
    Task<IReadOnlyList<OutboxRecord>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset claimedUntil, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives claimed rows back (a pass that stopped before delivering them): each undelivered row
    /// of <paramref name="ids"/> still claimed until <paramref name="claimedUntil"/> is due at <paramref name="dueAt"/> again.
    /// </summary>
    Task ReleaseClaimAsync(IReadOnlyCollection<Guid> ids, DateTimeOffset claimedUntil, DateTimeOffset dueAt, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task MarkFailedAsync(Guid id, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Gives up on an undelivered row: it is no longer due, and keeps its last error.</summary>
    Task MarkDeadLetteredAsync(Guid id, int attempts, DateTimeOffset at, string error, CancellationToken cancellationToken = default);

    /// <summary>How many dead letters there are (for health checks: no rows are read).</summary>
    Task<int> CountDeadLetteredAsync(CancellationToken cancellationToken = default);

    /// <summary>The undelivered rows (dead letters apart), the oldest one's creation time and the dead letters: counted, no rows read.</summary>
    Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken = default);

    /// <summary>The dead letters, oldest first.</summary>
    Task<IReadOnlyList<OutboxRecord>> ListDeadLetteredAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead letter due again at <paramref name="now"/> with its attempts reset; false when <paramref name="id"/> is not a dead letter.</summary>
    Task<bool> RequeueAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>
/// The timer rows' firing side: what the drains (<see cref="Timers.TimerDrain"/>) read and write.
/// The rows themselves are armed, moved and removed by <see cref="IInstanceStore.CommitAsync"/>.
/// </summary>
public interface ITimerStore
{
    /// <summary>The rows of <paramref name="shard"/> due at <paramref name="now"/>, soonest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<TimerRecord>> ListDueAsync(int shard, DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a row to <paramref name="dueAt"/> with <paramref name="attempts"/>, provided it is still
    /// the row that was read (same due time); false when a commit moved or removed it meanwhile.
    /// </summary>
    Task<bool> DeferAsync(TimerRecord timer, DateTimeOffset dueAt, int attempts, CancellationToken cancellationToken = default);

    /// <summary>Removes a row whose timer is no longer pending, provided it is still the row that was read.</summary>
    Task<bool> RemoveAsync(TimerRecord timer, CancellationToken cancellationToken = default);

    /// <summary>Gives every row the shard <see cref="Timers.TimerShards.Of"/> assigns under <paramref name="shards"/>; how many rows moved.</summary>
    Task<int> ReshardAsync(int shards, CancellationToken cancellationToken = default);

    /// <summary>How many timer rows are armed (all shards); counted, no rows read.</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken = default);
}

/// <summary>What the outbox still has to deliver: <see cref="IOutboxStore.BacklogAsync"/>.</summary>
/// <param name="Undelivered">Rows not yet delivered that are still tried (dead letters apart).</param>
/// <param name="OldestCreatedAt">The creation time of the oldest of them; null when there is none.</param>
/// <param name="DeadLetters">Rows the dispatcher gave up on.</param>
public readonly record struct OutboxBacklog(int Undelivered, DateTimeOffset? OldestCreatedAt, int DeadLetters);

/// <summary>What became of one firing.</summary>
public enum TimerFiringOutcome
{
    /// <summary>The timer fired; its row went with the commit.</summary>
    Fired,

    /// <summary>The timer is pending but due later (an SLA extension moved it): nothing happened.</summary>
    NotDue,

    /// <summary>The timer is no longer pending (it fired, was cancelled or held, the instance ended).</summary>
    NotPending,

    /// <summary>The instance does not exist (deleted by retention).</summary>
    InstanceMissing,
}

/// <summary>The outcome of a firing, and for <see cref="TimerFiringOutcome.NotDue"/> when it is due.</summary>
public readonly record struct TimerFiring(TimerFiringOutcome Outcome, DateTimeOffset? DueAt = null);

/// <summary>Fires one committed timer; the runtime implements it.</summary>
public interface ITimerSink
{
    Task<TimerFiring> FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default);
}

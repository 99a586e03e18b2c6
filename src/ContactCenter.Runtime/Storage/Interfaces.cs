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

    /// <summary>Adds a new version; its number must be the next for its key.</summary>
    Task AddAsync(DefinitionVersionRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a version's row, provided its status is still <paramref name="expectedStatus"/>; false otherwise.</summary>
    Task<bool> UpdateAsync(DefinitionVersionRecord record, VersionStatus expectedStatus, CancellationToken cancellationToken = default);
}

/// <summary>Instances, their journals, their pending timers and the outbox, committed together.</summary>
public interface IInstanceStore
{
    Task<InstanceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<InstanceRecord>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the instance row, appends its events, records armed and removed timers and the
    /// outbox rows, in one transaction.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stored version is not <see cref="InstanceCommit.ExpectedVersion"/>.</exception>
    Task CommitAsync(InstanceCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Every committed timer that has not fired or been cancelled, soonest first.</summary>
    Task<IReadOnlyList<TimerRecord>> ListPendingTimersAsync(CancellationToken cancellationToken = default);

    /// <summary>Instances that ended before <paramref name="before"/>, oldest end first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<InstanceRecord>> ListEndedBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an ended instance whole (row, journal, timers and delivered outbox rows) in one
    /// transaction, provided it is still at <paramref name="expectedVersion"/> and has no
    /// undelivered outbox row; false when it was not deleted.
    /// </summary>
    Task<bool> DeleteAsync(Guid id, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts, in the journals, how often each element of a definition was entered and each of its
    /// sequence flows taken, per pinned version (see <see cref="ElementCountQuery"/>). Elements of
    /// a called definition count for that definition, not for the caller.
    /// </summary>
    Task<ElementCounts> CountElementsAsync(ElementCountQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The instances started in [<paramref name="startedFrom"/>, <paramref name="startedTo"/>), without
    /// their snapshots, oldest first, at most <paramref name="max"/>.
    /// </summary>
    Task<IReadOnlyList<InstanceActivity>> ListActivityAsync(DateTimeOffset startedFrom, DateTimeOffset startedTo, int max, CancellationToken cancellationToken = default);
}

/// <summary>The outbox's delivery side.</summary>
public interface IOutboxStore
{
    /// <summary>Undelivered rows whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<OutboxRecord>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task MarkFailedAsync(Guid id, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Gives up on an undelivered row: it is no longer due, and keeps its last error.</summary>
    Task MarkDeadLetteredAsync(Guid id, int attempts, DateTimeOffset at, string error, CancellationToken cancellationToken = default);

    /// <summary>How many dead letters there are (for health checks: no rows are read).</summary>
    Task<int> CountDeadLetteredAsync(CancellationToken cancellationToken = default);

    /// <summary>The dead letters, oldest first.</summary>
    Task<IReadOnlyList<OutboxRecord>> ListDeadLetteredAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Makes a dead letter due again at <paramref name="now"/> with its attempts reset; false when <paramref name="id"/> is not a dead letter.</summary>
    Task<bool> RequeueAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>Durable triggers for committed timers (Quartz in production).</summary>
public interface ITimerScheduler
{
    /// <summary>Creates or replaces the trigger of a timer; idempotent.</summary>
    Task ScheduleAsync(TimerRecord timer, CancellationToken cancellationToken = default);

    /// <summary>Removes a timer's trigger if there is one; idempotent.</summary>
    Task UnscheduleAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default);

    /// <summary>The timers that have a trigger now, as (instance, timer) pairs.</summary>
    Task<IReadOnlyList<(Guid InstanceId, long TimerId)>> ListScheduledAsync(CancellationToken cancellationToken = default);
}

/// <summary>Called by the scheduler when a trigger fires; the runtime implements it.</summary>
public interface ITimerSink
{
    Task FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default);
}

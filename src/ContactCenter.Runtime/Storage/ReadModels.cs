using ContactCenter.Engine;
using ContactCenter.Engine.Journal;

namespace ContactCenter.Runtime.Storage;

/// <summary>
/// One instance's row in a named read model: the columns a list filters and sorts on, and a JSON
/// summary of what the list shows. Written in the same transaction as the commit it reflects
/// (<see cref="InstanceCommit.ReadModels"/>), so a list read from these rows is never behind the
/// instance. Deleted with the instance by retention.
/// </summary>
public sealed record ReadModelRow
{
    /// <summary>The read model's name (the module that projects it owns the name).</summary>
    public required string Model { get; init; }

    public required Guid InstanceId { get; init; }

    /// <summary>The instance version the row reflects.</summary>
    public required long InstanceVersion { get; init; }

    /// <summary>The queue (list) the row is in now; null when in none (the row is kept, not listed).</summary>
    public string? Queue { get; init; }

    /// <summary>A filter within the queue, stored as the model normalised it (compared exactly).</summary>
    public string? Partition { get; init; }

    public string? Priority { get; init; }

    public string? Category { get; init; }

    /// <summary>Whether the row runs against a deadline at all.</summary>
    public bool HasDeadline { get; init; }

    /// <summary>When the deadline lapses; <see cref="DateTimeOffset.MaxValue"/> when it cannot lapse now (none, or held). The queue's order.</summary>
    public DateTimeOffset DeadlineAt { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>When the row becomes at risk; <see cref="DateTimeOffset.MaxValue"/> as for <see cref="DeadlineAt"/>.</summary>
    public DateTimeOffset WarningAt { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>When the work was enqueued: the second sort key.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Whether the deadline clock is held.</summary>
    public bool Paused { get; init; }

    /// <summary>What the list shows, as the model's own JSON.</summary>
    public required string Summary { get; init; }
}

/// <summary>
/// An amount to add to a counter: <paramref name="Name"/> and <paramref name="Key"/> say what is
/// counted, <paramref name="Bucket"/> the hour it counts for (the start of an hour, as the
/// projection's zone reads hours). Counters are history: retention does not delete them.
/// </summary>
public sealed record ReadModelCounter(string Name, string Key, DateTimeOffset Bucket, long Delta);

/// <summary>The read-model changes of one commit.</summary>
public sealed record ReadModelChanges
{
    public static ReadModelChanges None { get; } = new();

    /// <summary>Rows inserted or replaced whole (by model and instance).</summary>
    public IReadOnlyList<ReadModelRow> Upserts { get; init; } = [];

    /// <summary>Rows removed: the instance left the model.</summary>
    public IReadOnlyList<(string Model, Guid InstanceId)> Deletes { get; init; } = [];

    /// <summary>Amounts added to counters (upsert-add).</summary>
    public IReadOnlyList<ReadModelCounter> Counters { get; init; } = [];

    public bool IsEmpty => Upserts.Count == 0 && Deletes.Count == 0 && Counters.Count == 0;

    /// <summary>These changes followed by <paramref name="other"/>'s.</summary>
    public ReadModelChanges Then(ReadModelChanges other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.IsEmpty ? this : IsEmpty ? other : new ReadModelChanges
        {
            Upserts = [.. Upserts, .. other.Upserts],
            Deletes = [.. Deletes, .. other.Deletes],
            Counters = [.. Counters, .. other.Counters],
        };
    }
}

/// <summary>Reads the current row of an instance in a read model (what a projection builds on).</summary>
public interface IReadModelRowReader
{
    Task<ReadModelRow?> GetRowAsync(string model, Guid instanceId, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a projection sees of one commit: the instance before and after, and the events between.
/// A rebuild from the journal gives the whole journal as one commit from the empty state; a
/// projection must give the same rows and counter totals either way.
/// </summary>
/// <param name="Before">The record as the command found it (version 0 for a new instance).</param>
/// <param name="Rows">The stored rows, as of <see cref="Before"/>'s version (empty in a rebuild).</param>
public sealed record ProjectedCommit(
    InstanceRecord Before,
    InstanceState StateBefore,
    InstanceRecord After,
    InstanceState StateAfter,
    IReadOnlyList<WorkflowEvent> Events,
    IReadModelRowReader Rows);

/// <summary>
/// Turns a commit into read-model changes, which the store writes in the commit's own transaction.
/// Registered projections run on every commit of every instance: return
/// <see cref="ReadModelChanges.None"/> quickly for instances that do not concern the projection.
/// </summary>
public interface ICommitProjection
{
    /// <summary>The read models (row models and counter names) this projection writes; a rebuild empties them first.</summary>
    string Name { get; }

    Task<ReadModelChanges> ProjectAsync(ProjectedCommit commit, CancellationToken cancellationToken = default);
}

/// <summary>Which rows of a read model to list, in queue order (deadline, then enqueued, then id).</summary>
public sealed record ReadModelRowQuery
{
    public required string Model { get; init; }

    /// <summary>The queues to list from; rows in no queue are never listed.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>Only rows of this partition (exact); null for any.</summary>
    public string? Partition { get; init; }

    /// <summary>With <see cref="At"/>: only the rows in this band at that instant; null for all.</summary>
    public DeadlineBand? Band { get; init; }

    public DateTimeOffset At { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>Where a row stands against its deadline at an instant.</summary>
public enum DeadlineBand
{
    /// <summary>The deadline has lapsed.</summary>
    Lapsed,

    /// <summary>The warning has passed, the deadline not.</summary>
    Warned,

    /// <summary>Neither has passed.</summary>
    Running,

    /// <summary>The row has no deadline.</summary>
    None,
}

/// <summary>A queue's rows counted by deadline band at one instant.</summary>
public sealed record ReadModelQueueCount(string Queue, int Rows, int Lapsed, int Warned, int Running, int NoDeadline);

/// <summary>A counter's total over a period, per key.</summary>
public sealed record ReadModelCounterTotal(string Key, long Total);

/// <summary>A counter's value in one bucket.</summary>
public sealed record ReadModelCounterValue(string Key, DateTimeOffset Bucket, long Value);

/// <summary>The read models' side of the store: queries for the screens, and what a rebuild needs.</summary>
public interface IReadModelStore : IReadModelRowReader
{
    Task<IReadOnlyList<ReadModelRow>> ListRowsAsync(ReadModelRowQuery query, CancellationToken cancellationToken = default);

    /// <summary>Per queue of <paramref name="queues"/>: its rows, by deadline band at <paramref name="at"/>.</summary>
    Task<IReadOnlyList<ReadModelQueueCount>> CountRowsAsync(string model, IReadOnlyList<string> queues, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Each key's total of counter <paramref name="name"/> over the buckets in [from, to).</summary>
    Task<IReadOnlyList<ReadModelCounterTotal>> SumCountersAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Counter <paramref name="name"/> per key and bucket in [from, to).</summary>
    Task<IReadOnlyList<ReadModelCounterValue>> ListCountersAsync(string name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Empties every read-model row and counter (before a rebuild).</summary>
    Task ClearReadModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes changes outside any commit (a rebuild), in one transaction.</summary>
    Task ApplyReadModelsAsync(ReadModelChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Instances started at or after <paramref name="startedFrom"/>, oldest first (then by id), at most <paramref name="max"/> (a rebuild's batches).</summary>
    Task<IReadOnlyList<InstanceRecord>> ListStartedFromAsync(DateTimeOffset startedFrom, int max, CancellationToken cancellationToken = default);

    /// <summary>Every row of every read model, by model and instance (to compare a rebuild).</summary>
    Task<IReadOnlyList<ReadModelRow>> DumpRowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every counter, by name, key and bucket (to compare a rebuild).</summary>
    Task<IReadOnlyList<ReadModelCounter>> DumpCountersAsync(CancellationToken cancellationToken = default);
}

/// <summary>A reader with no rows: a rebuild from the journal, or a store without read models.</summary>
public sealed class NoReadModelRows : IReadModelRowReader
{
    public static NoReadModelRows Instance { get; } = new();

    public Task<ReadModelRow?> GetRowAsync(string model, Guid instanceId, CancellationToken cancellationToken = default) => Task.FromResult<ReadModelRow?>(null);
}

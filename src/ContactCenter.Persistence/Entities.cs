namespace ContactCenter.Persistence;

// Row shapes of the tables. They stay internal: the runtime sees only the records of
// ContactCenter.Runtime.Storage, mapped in RecordMapping.

internal sealed class DefinitionVersionRow
{
    public string Key { get; set; } = "";

    public int Version { get; set; }

    public string Status { get; set; } = "";

    public string Name { get; set; } = "";

    public string Bpmn { get; set; } = "";

    public string ContentHash { get; set; } = "";

    public string? DocumentCode { get; set; }

    public string? Revision { get; set; }

    public DateTimeOffset? EffectiveFrom { get; set; }

    public string Maker { get; set; } = "";

    public string? Checker { get; set; }

    public string? Approver { get; set; }

    public string? ChangeNote { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }
}

internal sealed class InstanceRow
{
    public Guid Id { get; set; }

    public string DefinitionKey { get; set; } = "";

    public int DefinitionVersion { get; set; }

    public string Channel { get; set; } = "";

    public string? CustomerRef { get; set; }

    public string? Agent { get; set; }

    public string Status { get; set; } = "";

    /// <summary>Sequence of the last journal event; the concurrency token.</summary>
    public long Version { get; set; }

    public string Snapshot { get; set; } = "";

    /// <summary>JSON object key → version.</summary>
    public string PinnedVersions { get; set; } = "{}";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public Guid? ParentInstanceId { get; set; }
}

internal sealed class JournalEventRow
{
    public Guid InstanceId { get; set; }

    public long Sequence { get; set; }

    public string Type { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string? Actor { get; set; }

    public string Json { get; set; } = "";
}

/// <summary>
/// The journal of an ended instance, compressed in one row (see <see cref="JournalSegment"/>): its
/// events from <see cref="FirstSequence"/> to <see cref="LastSequence"/>, no longer in <c>journal_events</c>.
/// </summary>
internal sealed class JournalSegmentRow
{
    public Guid InstanceId { get; set; }

    public long FirstSequence { get; set; }

    public long LastSequence { get; set; }

    public byte[] Events { get; set; } = [];
}

internal sealed class PendingTimerRow
{
    public Guid InstanceId { get; set; }

    public long TimerId { get; set; }

    public string ElementId { get; set; } = "";

    public DateTimeOffset DueAt { get; set; }

    public int Shard { get; set; }

    public int Attempts { get; set; }

    /// <summary>The arming command's W3C traceparent (55 characters), or null when it was not traced.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>
/// A fact the store keeps about its own rows, by name: <c>timer_shards</c> is the shard count every
/// timer row was last given, so a start with the same count need not read the rows.
/// </summary>
internal sealed class StoreSettingRow
{
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";
}

internal sealed class OutboxRow
{
    /// <summary>Insertion order: ties between rows of one commit (same created_at) keep the order the engine emitted them.</summary>
    public long Position { get; set; }

    public Guid Id { get; set; }

    public string IdempotencyKey { get; set; } = "";

    public string Kind { get; set; } = "";

    public Guid InstanceId { get; set; }

    public string Payload { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }
}

/// <summary>A row of a read model (see <see cref="Runtime.Storage.ReadModelRow"/>).</summary>
internal sealed class ReadModelRowEntity
{
    public string Model { get; set; } = "";

    public Guid InstanceId { get; set; }

    public long InstanceVersion { get; set; }

    public string? Queue { get; set; }

    public string? Partition { get; set; }

    public string? Priority { get; set; }

    public string? Category { get; set; }

    public bool HasDeadline { get; set; }

    public DateTimeOffset DeadlineAt { get; set; }

    public DateTimeOffset WarningAt { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }

    public bool Paused { get; set; }

    public string Summary { get; set; } = "";
}

/// <summary>A counter's amount in one hour bucket (see <see cref="Runtime.Storage.ReadModelCounter"/>).</summary>
internal sealed class ReadModelCounterRow
{
    public string Counter { get; set; } = "";

    public string Dimension { get; set; } = "";

    public DateTimeOffset Bucket { get; set; }

    /// <summary>Which process added to this row (<see cref="DatabaseDialect.CounterWriter"/>); a counter's amount is the sum over writers.</summary>
    public string Writer { get; set; } = "";

    public long Amount { get; set; }
}

using ContactCenter.Engine;

namespace ContactCenter.Runtime.Storage;

/// <summary>Where a definition version is in its life, like the SOP document it mirrors.</summary>
public enum VersionStatus
{
    Draft,
    InReview,
    Approved,
    Published,
    Retired,
}

/// <summary>
/// One numbered version of a definition, with the SOP document's header and change log fields.
/// Maker, checker and approver are three different people.
/// </summary>
public sealed record DefinitionVersionRecord
{
    public required string Key { get; init; }

    public required int Version { get; init; }

    public required VersionStatus Status { get; init; }

    public required string Name { get; init; }

    /// <summary>The BPMN XML, exactly as submitted.</summary>
    public required string Bpmn { get; init; }

    /// <summary><c>sha256:</c> of the BPMN text: the import at start-up skips unchanged files by it.</summary>
    public required string ContentHash { get; init; }

    public string? DocumentCode { get; init; }

    public string? Revision { get; init; }

    /// <summary>The first instant new instances bind to this version (published versions only).</summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    public required string Maker { get; init; }

    public string? Checker { get; init; }

    public string? Approver { get; init; }

    public string? ChangeNote { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public DateTimeOffset? ApprovedAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }
}

/// <summary>A running or finished instance: one conversation, or one ticket's escalation.</summary>
public sealed record InstanceRecord
{
    public required Guid Id { get; init; }

    public required string DefinitionKey { get; init; }

    public required int DefinitionVersion { get; init; }

    /// <summary>whatsapp, live-chat, ... or "ticket" for an escalation instance.</summary>
    public required string Channel { get; init; }

    public string? CustomerRef { get; init; }

    /// <summary>The agent the conversation belongs to (null for ticket instances).</summary>
    public string? Agent { get; init; }

    public required InstanceStatus Status { get; init; }

    /// <summary>The sequence number of the last journal event: the optimistic-concurrency token.</summary>
    public required long Version { get; init; }

    /// <summary><see cref="InstanceState.ToJson"/> after the last event.</summary>
    public required string Snapshot { get; init; }

    /// <summary>The definition versions the instance is pinned to, key=version, for call activities too.</summary>
    public required IReadOnlyDictionary<string, int> PinnedVersions { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The conversation instance a ticket instance came from.</summary>
    public Guid? ParentInstanceId { get; init; }
}

/// <summary>One journal row: an engine event as the journal's JSON.</summary>
public sealed record JournalRecord(Guid InstanceId, long Sequence, string Type, DateTimeOffset At, string? Actor, string Json);

/// <summary>
/// A committed timer: a row in the instance database, written in the same transaction as the events
/// that arm, move or cancel it, until it fires. <paramref name="Shard"/> says which drain fires it
/// (see <see cref="Timers.TimerShards"/>); <paramref name="Attempts"/> counts failed firings, and a
/// failed firing moves <paramref name="DueAt"/> later by a back-off (the engine's own due time, in
/// the instance's state, is unchanged: a firing is checked against that).
/// </summary>
public sealed record TimerRecord(Guid InstanceId, long TimerId, string ElementId, DateTimeOffset DueAt, int Shard = 0, int Attempts = 0)
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the command that armed the timer, when it was traced: its
    /// firing, a trace of its own, links back to it. Null when nobody traced (nothing is stored).
    /// </summary>
    public string? TraceParent { get; init; }
}

/// <summary>Something to deliver after the commit: a prompt to a customer, an alert to a person, a ticket to open.</summary>
public sealed record OutboxRecord
{
    public required Guid Id { get; init; }

    /// <summary>Unique per message (instance id, event sequence): delivering twice is detectable downstream.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary><c>prompt</c>, <c>alert</c>, <c>service:createTicket</c>, ...</summary>
    public required string Kind { get; init; }

    public required Guid InstanceId { get; init; }

    public required string Payload { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>
    /// When the dispatcher gave up after <see cref="Outbox.OutboxOptions.MaxAttempts"/> failures. A
    /// dead letter is kept (with its last error) and never tried again until someone re-queues it.
    /// </summary>
    public DateTimeOffset? DeadLetteredAt { get; init; }
}

/// <summary>Everything one command changes, committed in one transaction or not at all.</summary>
public sealed record InstanceCommit
{
    /// <summary>The instance after the command (its <see cref="InstanceRecord.Version"/> is the new one).</summary>
    public required InstanceRecord Instance { get; init; }

    /// <summary>The version the command was decided on; 0 for a new instance.</summary>
    public required long ExpectedVersion { get; init; }

    public required IReadOnlyList<JournalRecord> Events { get; init; }

    public IReadOnlyList<TimerRecord> TimersArmed { get; init; } = [];

    public IReadOnlyList<long> TimersRemoved { get; init; } = [];

    public IReadOnlyList<OutboxRecord> Outbox { get; init; } = [];

    /// <summary>The read-model rows and counters the registered projections derived from this commit.</summary>
    public ReadModelChanges ReadModels { get; init; } = ReadModelChanges.None;
}

/// <summary>Filters for listing instances; null means any.</summary>
public sealed record InstanceQuery
{
    public InstanceStatus? Status { get; init; }

    public string? Agent { get; init; }

    public string? Channel { get; init; }

    /// <summary>The customer (a WhatsApp number, an e-mail address, a social media handle).</summary>
    public string? CustomerRef { get; init; }

    /// <summary>Instances started from this one (the tickets a conversation raised).</summary>
    public Guid? ParentInstanceId { get; init; }

    public string? DefinitionKey { get; init; }

    public DateTimeOffset? StartedFrom { get; init; }

    public DateTimeOffset? StartedTo { get; init; }

    /// <summary>Most rows returned. Default is 100.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>Where a proposal to move running instances between versions is in its life.</summary>
public enum MigrationStatus
{
    /// <summary>Proposed, with its mapping; a dry run may be run (again) and the mapping changed.</summary>
    Proposed,

    /// <summary>Approved by someone other than the proposer, after a dry run: ready to apply.</summary>
    Approved,

    /// <summary>
    /// Being applied: claimed by an applier, instances moving one by one, each outcome recorded in
    /// <see cref="MigrationProposalRecord.Result"/> as it moves. A proposal left here by a crash is
    /// resumed (at start, or by applying it again): each instance's journal says whether it moved.
    /// </summary>
    Applying,

    /// <summary>Applied: every instance was tried; <see cref="MigrationProposalRecord.Result"/> says which moved.</summary>
    Applied,

    /// <summary>Turned down; nothing moved.</summary>
    Rejected,
}

/// <summary>
/// A proposal to move chosen running instances of a definition from one version to another, with
/// the element mapping and the trail of who proposed, dry-ran, approved and applied it. The dry run
/// and the result are JSON written by the runtime (<c>MigrationOutcome</c> lists).
/// </summary>
public sealed record MigrationProposalRecord
{
    public required Guid Id { get; init; }

    public required string DefinitionKey { get; init; }

    public required int FromVersion { get; init; }

    public required int ToVersion { get; init; }

    public required MigrationStatus Status { get; init; }

    /// <summary>Old element or flow id to new, as JSON (an object of strings).</summary>
    public required string Mapping { get; init; }

    /// <summary>The chosen instances, as a JSON array of ids.</summary>
    public required string InstanceIds { get; init; }

    public required string ProposedBy { get; init; }

    public required DateTimeOffset ProposedAt { get; init; }

    public string? Note { get; init; }

    /// <summary>The last dry run's outcome per instance (JSON), with the journal sequence each was seen at.</summary>
    public string? DryRun { get; init; }

    public string? DryRunBy { get; init; }

    public DateTimeOffset? DryRunAt { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? AppliedBy { get; init; }

    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>The outcome per instance of applying it (JSON).</summary>
    public string? Result { get; init; }
}

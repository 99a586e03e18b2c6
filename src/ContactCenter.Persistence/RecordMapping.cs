using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Persistence;

/// <summary>Records of the runtime to rows and back. Enums are stored by name, so a reordered enum cannot change history.</summary>
internal static class RecordMapping
{
    public static DefinitionVersionRow ToRow(this DefinitionVersionRecord r) => new()
    {
        Key = r.Key,
        Version = r.Version,
        Status = r.Status.ToString(),
        Name = r.Name,
        Bpmn = r.Bpmn,
        ContentHash = r.ContentHash,
        DocumentCode = r.DocumentCode,
        Revision = r.Revision,
        EffectiveFrom = r.EffectiveFrom,
        Maker = r.Maker,
        Checker = r.Checker,
        Approver = r.Approver,
        ChangeNote = r.ChangeNote,
        CreatedAt = r.CreatedAt,
        SubmittedAt = r.SubmittedAt,
        CheckedAt = r.CheckedAt,
        ApprovedAt = r.ApprovedAt,
        PublishedAt = r.PublishedAt,
        RetiredAt = r.RetiredAt,
    };

    public static DefinitionVersionRecord ToRecord(this DefinitionVersionRow r) => new()
    {
        Key = r.Key,
        Version = r.Version,
        Status = Enum.Parse<VersionStatus>(r.Status),
        Name = r.Name,
        Bpmn = r.Bpmn,
        ContentHash = r.ContentHash,
        DocumentCode = r.DocumentCode,
        Revision = r.Revision,
        EffectiveFrom = r.EffectiveFrom,
        Maker = r.Maker,
        Checker = r.Checker,
        Approver = r.Approver,
        ChangeNote = r.ChangeNote,
        CreatedAt = r.CreatedAt,
        SubmittedAt = r.SubmittedAt,
        CheckedAt = r.CheckedAt,
        ApprovedAt = r.ApprovedAt,
        PublishedAt = r.PublishedAt,
        RetiredAt = r.RetiredAt,
    };

    public static InstanceRow ToRow(this InstanceRecord r) => new()
    {
        Id = r.Id,
        DefinitionKey = r.DefinitionKey,
        DefinitionVersion = r.DefinitionVersion,
        Channel = r.Channel,
        CustomerRef = r.CustomerRef,
        Agent = r.Agent,
        Status = r.Status.ToString(),
        Version = r.Version,
        Snapshot = r.Snapshot,
        PinnedVersions = PinnedJson(r.PinnedVersions),
        StartedAt = r.StartedAt,
        UpdatedAt = r.UpdatedAt,
        EndedAt = r.EndedAt,
        ParentInstanceId = r.ParentInstanceId,
    };

    /// <summary>The stored form of an instance's pins: sorted, so that equal pins are equal text.</summary>
    public static string PinnedJson(IReadOnlyDictionary<string, int> pinned) =>
        JsonSerializer.Serialize(new SortedDictionary<string, int>(pinned.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, int> PinnedFromJson(string json) => JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? [];

    public static InstanceRecord ToRecord(this InstanceRow r) => new()
    {
        Id = r.Id,
        DefinitionKey = r.DefinitionKey,
        DefinitionVersion = r.DefinitionVersion,
        Channel = r.Channel,
        CustomerRef = r.CustomerRef,
        Agent = r.Agent,
        Status = Enum.Parse<InstanceStatus>(r.Status),
        Version = r.Version,
        Snapshot = r.Snapshot,
        PinnedVersions = PinnedFromJson(r.PinnedVersions),
        StartedAt = r.StartedAt,
        UpdatedAt = r.UpdatedAt,
        EndedAt = r.EndedAt,
        ParentInstanceId = r.ParentInstanceId,
    };

    public static JournalEventRow ToRow(this JournalRecord r) => new()
    {
        InstanceId = r.InstanceId,
        Sequence = r.Sequence,
        Type = r.Type,
        At = r.At,
        Actor = r.Actor,
        Json = r.Json,
    };

    public static JournalRecord ToRecord(this JournalEventRow r) => new(r.InstanceId, r.Sequence, r.Type, r.At, r.Actor, r.Json);

    public static PendingTimerRow ToRow(this TimerRecord r) => new()
    {
        InstanceId = r.InstanceId,
        TimerId = r.TimerId,
        ElementId = r.ElementId,
        DueAt = r.DueAt,
        Shard = r.Shard,
        Attempts = r.Attempts,
        TraceParent = r.TraceParent,
    };

    public static TimerRecord ToRecord(this PendingTimerRow r) => new(r.InstanceId, r.TimerId, r.ElementId, r.DueAt, r.Shard, r.Attempts) { TraceParent = r.TraceParent };

    public static OutboxRow ToRow(this OutboxRecord r) => new()
    {
        Id = r.Id,
        IdempotencyKey = r.IdempotencyKey,
        Kind = r.Kind,
        InstanceId = r.InstanceId,
        Payload = r.Payload,
        CreatedAt = r.CreatedAt,
        Attempts = r.Attempts,
        NextAttemptAt = r.NextAttemptAt,
        DeliveredAt = r.DeliveredAt,
        LastError = r.LastError,
        DeadLetteredAt = r.DeadLetteredAt,
    };

    public static OutboxRecord ToRecord(this OutboxRow r) => new()
    {
        Id = r.Id,
        IdempotencyKey = r.IdempotencyKey,
        Kind = r.Kind,
        InstanceId = r.InstanceId,
        Payload = r.Payload,
        CreatedAt = r.CreatedAt,
        Attempts = r.Attempts,
        NextAttemptAt = r.NextAttemptAt,
        DeliveredAt = r.DeliveredAt,
        LastError = r.LastError,
        DeadLetteredAt = r.DeadLetteredAt,
    };
}

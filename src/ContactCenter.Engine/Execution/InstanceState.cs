using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine;

public enum InstanceStatus
{
    NotStarted,
    Running,
    Completed,
    Cancelled,
    Faulted,
}

/// <summary>A scope: the process, an embedded sub-process or a called definition.</summary>
public sealed record ScopeState(long Id, long? ParentScopeId, long? OwnerTokenId, string DefinitionKey, int DefinitionVersion, string? SubProcessId);

/// <summary>Where a token is, and over which flow it came (joins need that).</summary>
public sealed record TokenState(long Id, long ScopeId, string ElementId, string? ArrivedVia);

/// <summary>An open work item: what the console shows an agent.</summary>
public sealed record WorkItem(
    long Id,
    long TokenId,
    string ElementId,
    string? Name,
    string? Lane,
    string? Step,
    string? Script,
    ImmutableArray<string> Outcomes,
    ImmutableArray<string> Fields,
    DateTimeOffset CreatedAt);

public sealed record PendingTimer(long Id, long TokenId, string ElementId, DateTimeOffset DueAt, string? SlaPolicy);

public sealed record MessageSubscription(long Id, long TokenId, string ElementId, string MessageName);

/// <summary>
/// An instance's state, as rebuilt from its journal. The caller owns it: the engine reads one
/// and returns a new one, never changing the one it was given.
/// </summary>
public sealed class InstanceState : IVariableSource
{
    internal SortedDictionary<long, ScopeState> ScopeMap { get; private init; } = [];

    internal SortedDictionary<long, TokenState> TokenMap { get; private init; } = [];

    internal SortedDictionary<long, WorkItem> WorkItemMap { get; private init; } = [];

    internal SortedDictionary<long, PendingTimer> TimerMap { get; private init; } = [];

    internal SortedDictionary<long, MessageSubscription> SubscriptionMap { get; private init; } = [];

    internal SortedDictionary<string, Value> VariableMap { get; private init; } = new(StringComparer.Ordinal);

    internal SortedSet<string> MessageIds { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>An instance that has not started: the state a journal is folded onto.</summary>
    public static InstanceState Empty => new();

    public InstanceStatus Status { get; internal set; }

    public string? DefinitionKey { get; internal set; }

    public int DefinitionVersion { get; internal set; }

    /// <summary>The sequence number of the last event folded in; 0 before the first.</summary>
    public long Version { get; internal set; }

    /// <summary>The next free id for tokens, scopes, work items, timers and subscriptions.</summary>
    public long NextId { get; internal set; } = 1;

    public DateTimeOffset? StartedAt { get; internal set; }

    public DateTimeOffset? EndedAt { get; internal set; }

    /// <summary>Why it was cancelled or faulted.</summary>
    public string? EndReason { get; internal set; }

    /// <summary>The element a fault happened at.</summary>
    public string? FaultElementId { get; internal set; }

    public IReadOnlyCollection<ScopeState> Scopes => ScopeMap.Values;

    public IReadOnlyCollection<TokenState> Tokens => TokenMap.Values;

    public IReadOnlyCollection<WorkItem> WorkItems => WorkItemMap.Values;

    public IReadOnlyCollection<PendingTimer> Timers => TimerMap.Values;

    public IReadOnlyCollection<MessageSubscription> Subscriptions => SubscriptionMap.Values;

    public IReadOnlyDictionary<string, Value> Variables => VariableMap;

    public bool IsRunning => Status == InstanceStatus.Running;

    public Value Get(string name) => VariableMap.TryGetValue(name, out var value) ? value : Value.Null;

    /// <summary>The earliest pending timer, for a virtual clock or a "next prompt in" countdown.</summary>
    public PendingTimer? NextTimer()
    {
        PendingTimer? next = null;
        foreach (var timer in TimerMap.Values)
        {
            if (next is null || timer.DueAt < next.DueAt)
            {
                next = timer;
            }
        }

        return next;
    }

    internal InstanceState Clone() => new()
    {
        ScopeMap = new(ScopeMap),
        TokenMap = new(TokenMap),
        WorkItemMap = new(WorkItemMap),
        TimerMap = new(TimerMap),
        SubscriptionMap = new(SubscriptionMap),
        VariableMap = new(VariableMap, StringComparer.Ordinal),
        MessageIds = new(MessageIds, StringComparer.Ordinal),
        Status = Status,
        DefinitionKey = DefinitionKey,
        DefinitionVersion = DefinitionVersion,
        Version = Version,
        NextId = NextId,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        EndReason = EndReason,
        FaultElementId = FaultElementId,
    };

    private static readonly JsonSerializerOptions SnapshotOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// A canonical JSON snapshot: equal states give equal text, so a folded journal can be
    /// compared with a live state, and the runtime can store the snapshot beside the journal.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(
        new Snapshot(Status, DefinitionKey, DefinitionVersion, Version, NextId, StartedAt, EndedAt, EndReason, FaultElementId, [.. Scopes], [.. Tokens], [.. WorkItems], [.. Timers], [.. Subscriptions], new(VariableMap, StringComparer.Ordinal), [.. MessageIds]),
        SnapshotOptions);

    public static InstanceState FromJson(string json)
    {
        var s = JsonSerializer.Deserialize<Snapshot>(json, SnapshotOptions) ?? throw new JsonException("the snapshot is empty");
        return new InstanceState
        {
            Status = s.Status,
            DefinitionKey = s.DefinitionKey,
            DefinitionVersion = s.DefinitionVersion,
            Version = s.Version,
            NextId = s.NextId,
            StartedAt = s.StartedAt,
            EndedAt = s.EndedAt,
            EndReason = s.EndReason,
            FaultElementId = s.FaultElementId,
            ScopeMap = new(s.Scopes.ToDictionary(x => x.Id)),
            TokenMap = new(s.Tokens.ToDictionary(x => x.Id)),
            WorkItemMap = new(s.WorkItems.ToDictionary(x => x.Id)),
            TimerMap = new(s.Timers.ToDictionary(x => x.Id)),
            SubscriptionMap = new(s.Subscriptions.ToDictionary(x => x.Id)),
            VariableMap = new(s.Variables, StringComparer.Ordinal),
            MessageIds = new(s.MessageIds, StringComparer.Ordinal),
        };
    }

    private sealed record Snapshot(
        InstanceStatus Status,
        string? DefinitionKey,
        int DefinitionVersion,
        long Version,
        long NextId,
        DateTimeOffset? StartedAt,
        DateTimeOffset? EndedAt,
        string? EndReason,
        string? FaultElementId,
        List<ScopeState> Scopes,
        List<TokenState> Tokens,
        List<WorkItem> WorkItems,
        List<PendingTimer> Timers,
        List<MessageSubscription> Subscriptions,
        SortedDictionary<string, Value> Variables,
        List<string> MessageIds);
}

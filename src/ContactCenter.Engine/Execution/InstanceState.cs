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

/// <summary>A timer waiting to fire. A <paramref name="Held"/> timer never fires until it is rescheduled (an SLA clock paused).</summary>
public sealed record PendingTimer(long Id, long TokenId, string ElementId, DateTimeOffset DueAt, string? SlaPolicy, bool Held = false);

public sealed record MessageSubscription(long Id, long TokenId, string ElementId, string MessageName);

/// <summary>
/// An instance's state, as rebuilt from its journal. The caller owns it: the engine reads one
/// and returns a new one, never changing the one it was given.
/// </summary>
public sealed class InstanceState : IVariableSource
{
    // Copy-on-write: Decide clones the state for every command, but a command touches only a few
    // of these maps, so a clone shares them all and copies a map the first time it changes it.
    // SortedList keeps entries in id order (determinism) in two flat arrays (cheap to copy).
    private CopyOnWrite<IdMap<ScopeState>> _scopes;
    private CopyOnWrite<IdMap<TokenState>> _tokens;
    private CopyOnWrite<IdMap<WorkItem>> _workItems;
    private CopyOnWrite<IdMap<PendingTimer>> _timers;
    private CopyOnWrite<IdMap<MessageSubscription>> _subscriptions;
    private CopyOnWrite<SortedList<string, Value>> _variables;
    private CopyOnWrite<SortedSet<string>> _messageIds;

    private InstanceState()
    {
        _scopes = new(new());
        _tokens = new(new());
        _workItems = new(new());
        _timers = new(new());
        _subscriptions = new(new());
        _variables = new(new(StringComparer.Ordinal));
        _messageIds = new(new(StringComparer.Ordinal));
    }

    /// <summary>A clone: shares every collection until one side writes to it.</summary>
    private InstanceState(InstanceState source)
    {
        _scopes = source._scopes.Share();
        _tokens = source._tokens.Share();
        _workItems = source._workItems.Share();
        _timers = source._timers.Share();
        _subscriptions = source._subscriptions.Share();
        _variables = source._variables.Share();
        _messageIds = source._messageIds.Share();

        // The source's collections are now shared too: a later write to it must not leak into the clone.
        source._scopes = _scopes;
        source._tokens = _tokens;
        source._workItems = _workItems;
        source._timers = _timers;
        source._subscriptions = _subscriptions;
        source._variables = _variables;
        source._messageIds = _messageIds;
        Status = source.Status;
        DefinitionKey = source.DefinitionKey;
        DefinitionVersion = source.DefinitionVersion;
        Version = source.Version;
        NextId = source.NextId;
        StartedAt = source.StartedAt;
        EndedAt = source.EndedAt;
        EndReason = source.EndReason;
        FaultElementId = source.FaultElementId;
    }

    internal IdMap<ScopeState> ScopeMap => _scopes.Value;

    internal IdMap<TokenState> TokenMap => _tokens.Value;

    internal IdMap<WorkItem> WorkItemMap => _workItems.Value;

    internal IdMap<PendingTimer> TimerMap => _timers.Value;

    internal IdMap<MessageSubscription> SubscriptionMap => _subscriptions.Value;

    internal SortedList<string, Value> VariableMap => _variables.Value;

    internal SortedSet<string> MessageIds => _messageIds.Value;

    /// <summary>Whether a message with <paramref name="messageId"/> was delivered to this instance (the engine ignores a repeat).</summary>
    public bool HasSeenMessage(string messageId) => _messageIds.Value.Contains(messageId);

    internal IdMap<ScopeState> WritableScopes => _scopes.Writable(static m => m.Copy());

    internal IdMap<TokenState> WritableTokens => _tokens.Writable(static m => m.Copy());

    internal IdMap<WorkItem> WritableWorkItems => _workItems.Writable(static m => m.Copy());

    internal IdMap<PendingTimer> WritableTimers => _timers.Writable(static m => m.Copy());

    internal IdMap<MessageSubscription> WritableSubscriptions => _subscriptions.Writable(static m => m.Copy());

    internal SortedList<string, Value> WritableVariables => _variables.Writable(static m => new(m, StringComparer.Ordinal));

    internal SortedSet<string> WritableMessageIds => _messageIds.Writable(static m => new(m, StringComparer.Ordinal));

    /// <summary>A reference to a collection that may be shared with other states until first written.</summary>
    private struct CopyOnWrite<T>(T value)
        where T : class
    {
        private bool _shared;

        public T Value { get; private set; } = value;

        public readonly CopyOnWrite<T> Share() => new(Value) { _shared = true };

        public T Writable(Func<T, T> copy)
        {
            if (_shared)
            {
                Value = copy(Value);
                _shared = false;
            }

            return Value;
        }
    }

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

    public IReadOnlyList<ScopeState> Scopes => ScopeMap;

    public IReadOnlyList<TokenState> Tokens => TokenMap;

    public IReadOnlyList<WorkItem> WorkItems => WorkItemMap;

    public IReadOnlyList<PendingTimer> Timers => TimerMap;

    public IReadOnlyList<MessageSubscription> Subscriptions => SubscriptionMap;

    public IReadOnlyDictionary<string, Value> Variables => VariableMap;

    public bool IsRunning => Status == InstanceStatus.Running;

    public Value Get(string name) => VariableMap.TryGetValue(name, out var value) ? value : Value.Null;

    /// <summary>The scope a token runs in (which definition and version, which sub-process), or null for a token that is gone.</summary>
    public ScopeState? ScopeOfToken(long tokenId) =>
        TokenMap.TryGetValue(tokenId, out var token) && ScopeMap.TryGetValue(token.ScopeId, out var scope) ? scope : null;

    /// <summary>The earliest pending timer, for a virtual clock or a "next prompt in" countdown.</summary>
    public PendingTimer? NextTimer()
    {
        PendingTimer? next = null;
        foreach (var timer in TimerMap)
        {
            if (!timer.Held && (next is null || timer.DueAt < next.DueAt))
            {
                next = timer;
            }
        }

        return next;
    }

    internal InstanceState Clone() => new(this);

    // The options the snapshot's form was defined by (reflection-based), kept to prove that the
    // source-generated serializer (SnapshotJsonContext, with the same options) writes the same text.
    private static readonly JsonSerializerOptions ReflectionSnapshotOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// A canonical JSON snapshot: equal states give equal text, so a folded journal can be
    /// compared with a live state, and the runtime can store the snapshot beside the journal.
    /// </summary>
    /// <remarks>
    /// Written by a source-generated serializer (every command writes one: no reflection metadata
    /// walked per property); the text is byte for byte that of <see cref="ToJsonByReflection"/>.
    /// </remarks>
    public string ToJson() => JsonSerializer.Serialize(ToSnapshot(), SnapshotJsonContext.Default.Snapshot);

    /// <summary>The snapshot as the reflection-based serializer writes it: the form's definition, for tests.</summary>
    internal string ToJsonByReflection() => JsonSerializer.Serialize(ToSnapshot(), ReflectionSnapshotOptions);

    private Snapshot ToSnapshot() =>
        new(Status, DefinitionKey, DefinitionVersion, Version, NextId, StartedAt, EndedAt, EndReason, FaultElementId, [.. ScopeMap], [.. TokenMap], [.. WorkItemMap], [.. TimerMap], [.. SubscriptionMap], new(VariableMap, StringComparer.Ordinal), [.. MessageIds]);

    public static InstanceState FromJson(string json)
    {
        var s = JsonSerializer.Deserialize(json, SnapshotJsonContext.Default.Snapshot) ?? throw new JsonException("the snapshot is empty");
        var state = new InstanceState
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
        };
        state._scopes = new(new(s.Scopes.Select(x => KeyValuePair.Create(x.Id, x))));
        state._tokens = new(new(s.Tokens.Select(x => KeyValuePair.Create(x.Id, x))));
        state._workItems = new(new(s.WorkItems.Select(x => KeyValuePair.Create(x.Id, x))));
        state._timers = new(new(s.Timers.Select(x => KeyValuePair.Create(x.Id, x))));
        state._subscriptions = new(new(s.Subscriptions.Select(x => KeyValuePair.Create(x.Id, x))));
        state._variables = new(new(s.Variables, StringComparer.Ordinal));
        state._messageIds = new(new(s.MessageIds, StringComparer.Ordinal));
        return state;
    }

    internal sealed record Snapshot(
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

/// <summary>The snapshot's serializer, generated at build time with the options of <see cref="InstanceState.ToJson"/>'s form.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InstanceState.Snapshot))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

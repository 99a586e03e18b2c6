using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;

namespace ContactCenter.Engine;

/// <summary>Decides the due time of a timer; the runtime plugs in its working-day calendar for SLA timers.</summary>
public interface IDeadlineCalculator
{
    /// <summary>Must be a pure function of its arguments: a replay relies on it only through the journal, but a live decision must be repeatable.</summary>
    DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy);

    /// <summary>
    /// As <see cref="DueAt(DateTimeOffset, TimeSpan, string?)"/>, with the instance's variables, so an
    /// SLA can depend on a ticket's category and priority. Pure as well.
    /// </summary>
    DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy, IReadOnlyDictionary<string, Value> variables) =>
        DueAt(from, duration, slaPolicy);
}

/// <summary>
/// The definitions an engine may run, each at the version the caller pinned (new instances and
/// called flows start on the pinned version), and any other versions an instance may still be on
/// or move from (<see cref="AddVersion"/>, for an instance migration and its replay).
/// </summary>
public sealed class DefinitionSet
{
    private readonly Dictionary<string, (WorkflowDefinition Definition, int Version)> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, int Version), WorkflowDefinition> _byVersion = [];

    public DefinitionSet()
    {
    }

    public DefinitionSet(IEnumerable<WorkflowDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            Add(definition);
        }
    }

    public IEnumerable<WorkflowDefinition> Definitions => _byKey.Values.Select(v => v.Definition);

    /// <summary>The pinned version of every key, by key.</summary>
    public IReadOnlyDictionary<string, int> Pinned => _byKey.ToDictionary(p => p.Key, p => p.Value.Version, StringComparer.Ordinal);

    /// <summary>Adds or replaces the definition of its key, pinned at <paramref name="version"/>.</summary>
    public DefinitionSet Add(WorkflowDefinition definition, int version = 1)
    {
        _byKey[definition.Key] = (definition, version);
        _byVersion[(definition.Key, version)] = definition;
        return this;
    }

    /// <summary>Adds a version without pinning it: one an instance may be on, or move from.</summary>
    public DefinitionSet AddVersion(WorkflowDefinition definition, int version)
    {
        _byVersion[(definition.Key, version)] = definition;
        return this;
    }

    public bool TryGet(string key, out WorkflowDefinition definition, out int version)
    {
        if (_byKey.TryGetValue(key, out var entry))
        {
            (definition, version) = entry;
            return true;
        }

        definition = null!;
        version = 0;
        return false;
    }

    /// <summary>One version of a key, pinned or not.</summary>
    public bool TryGet(string key, int version, out WorkflowDefinition definition) =>
        _byVersion.TryGetValue((key, version), out definition!);

    /// <summary>
    /// The same versions with the keys of <paramref name="pinned"/> pinned at the versions it names
    /// (each must be in the set): what an instance runs on after a migration.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A version named is not in the set.</exception>
    public DefinitionSet WithPinned(IReadOnlyDictionary<string, int> pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        var set = new DefinitionSet();
        foreach (var (key, definition) in _byVersion)
        {
            set._byVersion[key] = definition;
        }

        foreach (var (key, entry) in _byKey)
        {
            set._byKey[key] = entry;
        }

        foreach (var (key, version) in pinned)
        {
            set._byKey[key] = (_byVersion.TryGetValue((key, version), out var definition) ? definition : throw new KeyNotFoundException($"definition '{key}' version {version} is not in the set"), version);
        }

        return set;
    }
}

/// <summary>What a command decided: the new events (to append to the journal) and the state after them.</summary>
public sealed record Decision(IReadOnlyList<WorkflowEvent> Events, InstanceState State);

/// <summary>
/// The interpreter as a decider: <see cref="Decide"/> turns a command into events;
/// <see cref="Evolve"/> folds an event into state. Pure: no clock, no I/O, no randomness, so
/// the same state, command and time always give the same events.
/// </summary>
public sealed class WorkflowEngine(DefinitionSet definitions, IDeadlineCalculator? deadlines = null)
{
    /// <summary>Due times as the timers' own durations, with no calendar: the default.</summary>
    public static IDeadlineCalculator PlainDurations { get; } = new DurationDeadlines();

    /// <summary>Most element transitions one command may cause before the instance faults as a livelock. Default is 10,000.</summary>
    public int MaxTransitionsPerCommand { get; init; } = 10_000;

    public DefinitionSet Definitions { get; } = definitions;

    /// <summary>The due-time calculator the engine was given (null: the timers' own durations).</summary>
    internal IDeadlineCalculator? Deadlines { get; } = deadlines;

    /// <summary>Decides a command against a state at time <paramref name="now"/>. The given state is not changed.</summary>
    /// <exception cref="WorkflowCommandRejectedException">The command does not fit the state; nothing happened.</exception>
    public Decision Decide(InstanceState state, WorkflowCommand command, DateTimeOffset now)
    {
        var working = state.Clone();
        var events = Execution.Run(this, Deadlines ?? PlainDurations, working, now, command);
        return new Decision(events, working);
    }

    /// <summary>Applies one event to a state, returning a new state.</summary>
    public static InstanceState Evolve(InstanceState state, WorkflowEvent e)
    {
        var next = state.Clone();
        Evolver.Apply(next, e);
        return next;
    }

    /// <summary>Rebuilds a state from a whole journal (or continues one from a snapshot).</summary>
    /// <exception cref="JournalException">The journal has a gap or an event that does not fit.</exception>
    public static InstanceState Fold(IEnumerable<WorkflowEvent> events, InstanceState? from = null)
    {
        var state = from?.Clone() ?? InstanceState.Empty;
        foreach (var e in events)
        {
            Evolver.Apply(state, e);
        }

        return state;
    }

    /// <summary>The definition and node a token of the state stands on, for consoles and QA.</summary>
    public FlowNode? NodeOf(InstanceState state, long tokenId)
    {
        if (!state.TokenMap.TryGetValue(tokenId, out var token) || !state.ScopeMap.TryGetValue(token.ScopeId, out var scope))
        {
            return null;
        }

        return Definitions.TryGet(scope.DefinitionKey, out var definition, out _) ? definition.Nodes.GetValueOrDefault(token.ElementId) : null;
    }

    private sealed class DurationDeadlines : IDeadlineCalculator
    {
        public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy) => from + duration;
    }
}

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

/// <summary>The definitions an engine may run, each at the version the caller pinned.</summary>
public sealed class DefinitionSet
{
    private readonly Dictionary<string, (WorkflowDefinition Definition, int Version)> _byKey = new(StringComparer.Ordinal);

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

    /// <summary>Adds or replaces the definition of its key.</summary>
    public DefinitionSet Add(WorkflowDefinition definition, int version = 1)
    {
        _byKey[definition.Key] = (definition, version);
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

    /// <summary>Decides a command against a state at time <paramref name="now"/>. The given state is not changed.</summary>
    /// <exception cref="WorkflowCommandRejectedException">The command does not fit the state; nothing happened.</exception>
    public Decision Decide(InstanceState state, WorkflowCommand command, DateTimeOffset now)
    {
        var working = state.Clone();
        var events = Execution.Run(this, deadlines ?? PlainDurations, working, now, command);
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

using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using FluentAssertions;

namespace ContactCenter.Engine.Tests.Support;

/// <summary>
/// Drives one instance through <see cref="WorkflowEngine.Decide"/>, keeping the journal. After
/// every command it checks the two invariants every test gets for free: the state handed to
/// Decide is unchanged, and folding the whole journal gives exactly the live state.
/// </summary>
internal sealed class Driver
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(7));

    public Driver(WorkflowEngine engine)
    {
        Engine = engine;
    }

    public WorkflowEngine Engine { get; }

    public InstanceState State { get; private set; } = InstanceState.Empty;

    public List<WorkflowEvent> Journal { get; } = [];

    /// <summary>The events of the last command.</summary>
    public IReadOnlyList<WorkflowEvent> Last { get; private set; } = [];

    public DateTimeOffset Now { get; set; } = T0;

    /// <summary>An engine over the given documents, each of which must parse without problems.</summary>
    public static Driver For(params string[] documents) => new(new WorkflowEngine(new DefinitionSet(documents.Select(Parse))));

    /// <summary>An engine over one document, run even if the validator has objections (to test the engine's own guards).</summary>
    public static Driver ForUnvalidated(string document, int maxTransitions = 10_000)
    {
        var parsed = BpmnParser.Parse(document, "test.bpmn");
        parsed.Definition.Should().NotBeNull(string.Join("\n", parsed.Problems));
        return new(new WorkflowEngine(new DefinitionSet([parsed.Definition!])) { MaxTransitionsPerCommand = maxTransitions });
    }

    public static WorkflowDefinition Parse(string document)
    {
        var parsed = BpmnParser.Parse(document, "test.bpmn");
        parsed.Problems.Should().BeEmpty();
        return parsed.Definition!;
    }

    public static Dictionary<string, Value> Vars(params (string Name, Value Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public IReadOnlyList<WorkflowEvent> Send(WorkflowCommand command)
    {
        var before = State.ToJson();
        var decision = Engine.Decide(State, command, Now);
        State.ToJson().Should().Be(before, "Decide must never change the state it is given");
        decision.Events.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, decision.Events.Count).Select(i => State.Version + i), "sequence numbers continue without gaps");
        Journal.AddRange(decision.Events);
        State = decision.State;
        Last = decision.Events;
        WorkflowEngine.Fold(Journal).ToJson().Should().Be(State.ToJson(), "folding the journal must rebuild the live state");
        return decision.Events;
    }

    public Driver Start(string key = "p", IReadOnlyDictionary<string, Value>? variables = null, string? actor = "agent1")
    {
        Send(new StartInstance(key, variables) { Actor = actor });
        return this;
    }

    /// <summary>The one open work item of an element.</summary>
    public WorkItem Item(string elementId) => State.WorkItems.Should().ContainSingle(w => w.ElementId == elementId).Subject;

    public IReadOnlyList<WorkflowEvent> Complete(string elementId, string? outcome = null, IReadOnlyDictionary<string, Value>? data = null) =>
        Send(new CompleteWorkItem(Item(elementId).Id, outcome, data) { Actor = "agent1" });

    public PendingTimer Timer(string elementId) => State.Timers.Should().ContainSingle(t => t.ElementId == elementId).Subject;

    /// <summary>Moves the clock to the timer's due time and fires it.</summary>
    public IReadOnlyList<WorkflowEvent> Fire(string elementId)
    {
        var timer = Timer(elementId);
        Now = timer.DueAt;
        return Send(new FireTimer(timer.Id));
    }

    public IReadOnlyList<WorkflowEvent> Deliver(string messageName = "customer-message", string? text = null, string? messageId = null) =>
        Send(new DeliverMessage(messageName, text, messageId) { Actor = "customer-1" });

    /// <summary>Sends a command that must be rejected, checking that the state stays as it was.</summary>
    public WorkflowCommandRejectedException Reject(WorkflowCommand command)
    {
        var before = State.ToJson();
        var act = () => Engine.Decide(State, command, Now);
        var rejected = act.Should().Throw<WorkflowCommandRejectedException>().Which;
        State.ToJson().Should().Be(before);
        return rejected;
    }

    /// <summary>The ids of the elements entered by the last command, in order.</summary>
    public IEnumerable<string> Entered => Last.OfType<ElementEntered>().Select(e => e.ElementId);

    /// <summary>Element ids where a token currently stands.</summary>
    public IEnumerable<string> TokenPositions => State.Tokens.Select(t => t.ElementId);
}

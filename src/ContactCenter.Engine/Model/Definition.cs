using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Model;

/// <summary>
/// A parsed, executable workflow definition: the description model of one BPMN process. The
/// designer, QA replay and the SOP document read this model; the interpreter reads it too but
/// keeps no state in it, so one instance can be shared by every running instance.
/// </summary>
public sealed class WorkflowDefinition
{
    internal WorkflowDefinition(string key, string? name, string? documentation, IReadOnlyList<Lane> lanes, NodeContainer process, IReadOnlyDictionary<string, FlowNode> nodes, IReadOnlyDictionary<string, SequenceFlow> flows, IReadOnlyDictionary<string, string> messages, string? sourceName)
    {
        Key = key;
        Name = name;
        Documentation = documentation;
        Lanes = lanes;
        Process = process;
        Nodes = nodes;
        Flows = flows;
        Messages = messages;
        SourceName = sourceName;
    }

    /// <summary>The process id, e.g. <c>live-chat</c>: what call activities and the catalogue name it by.</summary>
    public string Key { get; }

    public string? Name { get; }

    public string? Documentation { get; }

    /// <summary>The lanes (roles) in document order.</summary>
    public IReadOnlyList<Lane> Lanes { get; }

    /// <summary>The process's top-level nodes and flows.</summary>
    public NodeContainer Process { get; }

    /// <summary>Every flow node by id, nested ones included.</summary>
    public IReadOnlyDictionary<string, FlowNode> Nodes { get; }

    /// <summary>Every sequence flow by id, nested ones included.</summary>
    public IReadOnlyDictionary<string, SequenceFlow> Flows { get; }

    /// <summary>Declared messages: id to name.</summary>
    public IReadOnlyDictionary<string, string> Messages { get; }

    /// <summary>Where the definition came from (a file name), for error messages.</summary>
    public string? SourceName { get; }

    /// <summary>
    /// <c>cc:startableBy</c> on the process: the roles that may start an instance by hand. Empty
    /// (the default) for a flow that only other flows or the platform start: a called flow, an
    /// escalation.
    /// </summary>
    public IReadOnlyList<string> StartableBy { get; internal init; } = [];

    /// <summary>
    /// <c>cc:flowKind</c> on the process: what kind of flow this is to the product, which decides
    /// the purposes it must declare. The engine does not know the kinds; null when not declared.
    /// </summary>
    public string? FlowKind { get; internal init; }

    /// <summary>The nodes that declare <paramref name="purpose"/> in <c>cc:purpose</c>, in document order.</summary>
    public IEnumerable<FlowNode> NodesWithPurpose(string purpose) =>
        Nodes.Values.Where(n => n.HasPurpose(purpose)).OrderBy(n => n.Line);

    /// <summary>Every distinct <c>cc:step</c> in document order.</summary>
    public IEnumerable<string> Steps => Nodes.Values.OrderBy(n => n.Line).Select(n => n.Step).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>A lane of the process: the role that may work the tasks in it.</summary>
public sealed record Lane(string Id, string Name, IReadOnlyList<string> NodeIds, int Line)
{
    /// <summary><c>cc:performer</c>: the role that works the lane's tasks (e.g. <c>Tier2</c>); null when the lane declares none.</summary>
    public string? Performer { get; init; }
}

/// <summary>The process itself or an embedded sub-process: a scope with its own start.</summary>
public sealed class NodeContainer
{
    internal NodeContainer(string? subProcessId)
    {
        SubProcessId = subProcessId;
    }

    /// <summary>Null for the process; the sub-process's id otherwise.</summary>
    public string? SubProcessId { get; }

    /// <summary>The line of the &lt;process&gt; or &lt;subProcess&gt; element, for error messages.</summary>
    public int Line { get; internal set; }

    public IReadOnlyList<FlowNode> Nodes => NodeList;

    public IReadOnlyList<SequenceFlow> Flows => FlowList;

    public StartEvent? Start { get; internal set; }

    internal List<FlowNode> NodeList { get; } = [];

    internal List<SequenceFlow> FlowList { get; } = [];

    /// <summary>Link catch events by link name, for link throws in this scope.</summary>
    internal Dictionary<string, CatchEvent> LinkTargets { get; } = new(StringComparer.Ordinal);
}

public sealed class SequenceFlow
{
    internal SequenceFlow(string id, string? name, string sourceId, string targetId, int line)
    {
        Id = id;
        Name = name;
        SourceId = sourceId;
        TargetId = targetId;
        Line = line;
    }

    public string Id { get; }

    /// <summary>The label, e.g. "Ya"; on an agent-decided gateway it is the outcome the agent picks.</summary>
    public string? Name { get; }

    public string SourceId { get; }

    public string TargetId { get; }

    public int Line { get; }

    public Expression? Condition { get; internal set; }

    public FlowNode Source { get; internal set; } = null!;

    public FlowNode Target { get; internal set; } = null!;
}

/// <summary>What kind of flow node an element is; one value per supported BPMN element.</summary>
public enum NodeKind
{
    StartEvent,
    EndEvent,
    UserTask,
    ManualTask,
    ServiceTask,
    SendTask,
    ReceiveTask,
    ExclusiveGateway,
    ParallelGateway,
    EventBasedGateway,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    BoundaryEvent,
    CallActivity,
    SubProcess,
}

/// <summary>A node of the process graph, with our <c>cc:</c> extension attributes.</summary>
public abstract class FlowNode
{
    private protected FlowNode(string id, string? name, int line)
    {
        Id = id;
        Name = name;
        Line = line;
    }

    public string Id { get; }

    public string? Name { get; }

    /// <summary>The line in the source file, for error messages.</summary>
    public int Line { get; }

    public abstract NodeKind Kind { get; }

    /// <summary>The BPMN element name, e.g. <c>userTask</c>.</summary>
    public string ElementName => char.ToLowerInvariant(Kind.ToString()[0]) + Kind.ToString()[1..];

    /// <summary>The scope the node belongs to.</summary>
    public NodeContainer Container { get; internal set; } = null!;

    /// <summary>The lane's name (role), inherited from the enclosing sub-process when nested.</summary>
    public string? Lane { get; internal set; }

    /// <summary>The <c>cc:performer</c> of the node's lane (inherited like <see cref="Lane"/>): the role that works it.</summary>
    public string? Performer { get; internal set; }

    /// <summary><c>cc:step</c>: the SOP step number ("14a").</summary>
    public string? Step { get; internal set; }

    /// <summary><c>cc:script</c>: what the agent reads, or the prompt a send task sends.</summary>
    public string? Script { get; internal set; }

    /// <summary><c>cc:fields</c>: data the step asks for.</summary>
    public IReadOnlyList<string> Fields
    {
        get => FieldArray;
        internal set => FieldArray = [.. value];
    }

    /// <summary>The same fields, ready to put in an event without copying.</summary>
    internal System.Collections.Immutable.ImmutableArray<string> FieldArray { get; private set; } = [];

    /// <summary>
    /// <c>cc:purpose</c>: what the node means to the product (names the modules define, e.g. a
    /// greeting or a decision), so code finds steps by what they are for, never by id or name.
    /// </summary>
    public IReadOnlyList<string> Purposes { get; internal set; } = [];

    public bool HasPurpose(string purpose) => Purposes.Contains(purpose, StringComparer.Ordinal);

    /// <summary><c>cc:assign</c>: variables set when the node is left.</summary>
    public IReadOnlyList<Assignment> Assignments { get; internal set; } = [];

    public string? Documentation { get; internal set; }

    public IReadOnlyList<SequenceFlow> Incoming => IncomingList;

    public IReadOnlyList<SequenceFlow> Outgoing => OutgoingList;

    /// <summary>Boundary events attached to this node (activities only).</summary>
    public IReadOnlyList<BoundaryEvent> Boundaries => BoundaryList;

    internal List<SequenceFlow> IncomingList { get; } = [];

    internal List<SequenceFlow> OutgoingList { get; } = [];

    internal List<BoundaryEvent> BoundaryList { get; } = [];

    /// <summary>A readable name for messages: <c>userTask 'Salam pembuka' (Activity_0x9k2m1)</c>.</summary>
    public override string ToString() => Name is null ? $"{ElementName} {Id}" : $"{ElementName} '{Name}' ({Id})";
}

public sealed class StartEvent(string id, string? name, int line) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.StartEvent;
}

public sealed class EndEvent(string id, string? name, int line, bool terminate) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.EndEvent;

    /// <summary>A terminate end event ends every token of its scope.</summary>
    public bool Terminate { get; } = terminate;
}

/// <summary>A user, manual, service, send or receive task.</summary>
public sealed class TaskNode(string id, string? name, int line, NodeKind kind) : FlowNode(id, name, line)
{
    public override NodeKind Kind { get; } = kind;

    /// <summary><c>cc:serviceKind</c> of a service task.</summary>
    public string? ServiceKind { get; internal init; }

    /// <summary>The message name a receive task waits for.</summary>
    public string? MessageName { get; internal set; }

    internal string? MessageRef { get; init; }

    /// <summary>User and manual tasks wait for a person.</summary>
    public bool IsWorkItem => Kind is NodeKind.UserTask or NodeKind.ManualTask;
}

public sealed class ExclusiveGateway(string id, string? name, int line) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.ExclusiveGateway;

    public SequenceFlow? DefaultFlow { get; internal set; }

    internal string? DefaultFlowId { get; init; }

    /// <summary>
    /// True when a person picks the outgoing flow by its name: two or more outgoing flows and no
    /// conditions on them. Otherwise conditions (or the default) decide.
    /// </summary>
    public bool IsDecidedByAgent => Outgoing.Count > 1 && Outgoing.All(f => f.Condition is null) && DefaultFlow is null;

    /// <summary>The outcomes an agent may pick: the outgoing flows' names, computed once.</summary>
    internal System.Collections.Immutable.ImmutableArray<string> Outcomes
    {
        get
        {
            if (_outcomes.IsDefault)
            {
                _outcomes = [.. Outgoing.Select(f => f.Name?.Trim() ?? string.Empty)];
            }

            return _outcomes;
        }
    }

    private System.Collections.Immutable.ImmutableArray<string> _outcomes;
}

public sealed class ParallelGateway(string id, string? name, int line) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.ParallelGateway;
}

public sealed class EventBasedGateway(string id, string? name, int line) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.EventBasedGateway;
}

/// <summary>What an event waits for or throws.</summary>
public enum EventTrigger
{
    None,
    Timer,
    Message,
    Link,
}

/// <summary>Shared shape of catch and boundary events: a timer, a message or a link.</summary>
public interface ITriggeredEvent
{
    EventTrigger Trigger { get; }

    /// <summary>The timer's duration (<c>timeDuration</c>).</summary>
    TimeSpan? TimerDuration { get; }

    /// <summary><c>cc:slaPolicy</c>: the policy whose calendar decides the due time.</summary>
    string? SlaPolicy { get; }

    /// <summary>The message name waited for.</summary>
    string? MessageName { get; }
}

public sealed class CatchEvent(string id, string? name, int line, EventTrigger trigger) : FlowNode(id, name, line), ITriggeredEvent
{
    public override NodeKind Kind => NodeKind.IntermediateCatchEvent;

    public EventTrigger Trigger { get; } = trigger;

    public TimeSpan? TimerDuration { get; internal init; }

    public string? SlaPolicy { get; internal init; }

    public string? MessageName { get; internal set; }

    internal string? MessageRef { get; init; }

    /// <summary>For a link catch: the link name that throws reach it by.</summary>
    public string? LinkName { get; internal init; }
}

public sealed class ThrowEvent(string id, string? name, int line, string? linkName) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.IntermediateThrowEvent;

    /// <summary>Null for a none throw event (a milestone); otherwise the link jumped to.</summary>
    public string? LinkName { get; } = linkName;

    public CatchEvent? LinkTarget { get; internal set; }
}

public sealed class BoundaryEvent(string id, string? name, int line, EventTrigger trigger, bool cancelActivity, string attachedToId) : FlowNode(id, name, line), ITriggeredEvent
{
    public override NodeKind Kind => NodeKind.BoundaryEvent;

    public EventTrigger Trigger { get; } = trigger;

    public bool CancelActivity { get; } = cancelActivity;

    public string AttachedToId { get; } = attachedToId;

    public FlowNode AttachedTo { get; internal set; } = null!;

    public TimeSpan? TimerDuration { get; internal init; }

    public string? SlaPolicy { get; internal init; }

    public string? MessageName { get; internal set; }

    internal string? MessageRef { get; init; }
}

public sealed class CallActivity(string id, string? name, int line, string calledKey) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.CallActivity;

    /// <summary>The key of the definition it runs.</summary>
    public string CalledKey { get; } = calledKey;
}

public sealed class SubProcess(string id, string? name, int line) : FlowNode(id, name, line)
{
    public override NodeKind Kind => NodeKind.SubProcess;

    public NodeContainer Body { get; } = new(id);
}

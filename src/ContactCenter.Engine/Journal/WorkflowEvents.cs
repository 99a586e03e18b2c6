using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Journal;

/// <summary>
/// One fact in an instance's journal. Folding an instance's events in sequence order with
/// <see cref="WorkflowEngine.Evolve"/> rebuilds its state exactly.
/// </summary>
/// <remarks>
/// The JSON type discriminator carries the schema version (<c>element-entered@1</c>): a change
/// to an event's shape gets a new discriminator, and the old one stays readable, so journals
/// written years ago still replay.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(InstanceStarted), "instance-started@1")]
[JsonDerivedType(typeof(ScopeStarted), "scope-started@1")]
[JsonDerivedType(typeof(ScopeCompleted), "scope-completed@1")]
[JsonDerivedType(typeof(ElementEntered), "element-entered@1")]
[JsonDerivedType(typeof(ElementLeft), "element-left@1")]
[JsonDerivedType(typeof(TokenEnded), "token-ended@1")]
[JsonDerivedType(typeof(WorkItemCreated), "work-item-created@1")]
[JsonDerivedType(typeof(WorkItemCompleted), "work-item-completed@1")]
[JsonDerivedType(typeof(WorkItemCancelled), "work-item-cancelled@1")]
[JsonDerivedType(typeof(VariablesSet), "variables-set@1")]
[JsonDerivedType(typeof(TimerScheduled), "timer-scheduled@1")]
[JsonDerivedType(typeof(TimerFired), "timer-fired@1")]
[JsonDerivedType(typeof(TimerCancelled), "timer-cancelled@1")]
[JsonDerivedType(typeof(TimerRescheduled), "timer-rescheduled@1")]
[JsonDerivedType(typeof(Annotated), "annotated@1")]
[JsonDerivedType(typeof(MessageSubscribed), "message-subscribed@1")]
[JsonDerivedType(typeof(MessageUnsubscribed), "message-unsubscribed@1")]
[JsonDerivedType(typeof(MessageReceived), "message-received@1")]
[JsonDerivedType(typeof(PromptSent), "prompt-sent@1")]
[JsonDerivedType(typeof(ServiceInvoked), "service-invoked@1")]
[JsonDerivedType(typeof(InstanceCompleted), "instance-completed@1")]
[JsonDerivedType(typeof(InstanceCancelled), "instance-cancelled@1")]
[JsonDerivedType(typeof(InstanceFaulted), "instance-faulted@1")]
[JsonDerivedType(typeof(InstanceMigrated), "instance-migrated@1")]
public abstract record WorkflowEvent
{
    /// <summary>1, 2, 3, ... within the instance, without gaps.</summary>
    [JsonInclude]
    [JsonPropertyOrder(-3)]
    public long Sequence { get; internal set; }

    /// <summary>The time of the command that caused the event (the engine has no clock of its own).</summary>
    [JsonInclude]
    [JsonPropertyOrder(-2)]
    public DateTimeOffset At { get; internal set; }

    /// <summary>Who caused it: the user of the command, or null for timers and the system.</summary>
    [JsonInclude]
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Actor { get; internal set; }
}

/// <summary>The instance started on a definition version, with its first variables.</summary>
public sealed record InstanceStarted(string DefinitionKey, int DefinitionVersion, ImmutableSortedDictionary<string, Value> Variables) : WorkflowEvent;

/// <summary>A scope began: the process, an embedded sub-process, or a called definition.</summary>
public sealed record ScopeStarted(long ScopeId, long? ParentScopeId, long? OwnerTokenId, string DefinitionKey, int DefinitionVersion, string? SubProcessId) : WorkflowEvent;

/// <summary>A scope ended: all its tokens finished, or it was cancelled.</summary>
public sealed record ScopeCompleted(long ScopeId, bool Cancelled) : WorkflowEvent;

/// <summary>A token arrived at an element (a new token when its id is new), over a flow or a link.</summary>
public sealed record ElementEntered(long TokenId, long ScopeId, string ElementId, string? FlowId) : WorkflowEvent;

/// <summary>A token left an element, over the flow named (null when interrupted or over a link).</summary>
public sealed record ElementLeft(long TokenId, string ElementId, string? FlowId) : WorkflowEvent;

/// <summary>A token ended at an end event or join, or was cancelled.</summary>
public sealed record TokenEnded(long TokenId, string ElementId, bool Cancelled) : WorkflowEvent;

/// <summary>A person's work item: a user or manual task, or a decision at an agent-decided gateway.</summary>
public sealed record WorkItemCreated(
    long WorkItemId,
    long TokenId,
    string ElementId,
    string? Name,
    string? Lane,
    string? Step,
    string? Script,
    ImmutableArray<string> Outcomes,
    ImmutableArray<string> Fields) : WorkflowEvent;

public sealed record WorkItemCompleted(long WorkItemId, string? Outcome, ImmutableSortedDictionary<string, Value> Data) : WorkflowEvent;

public sealed record WorkItemCancelled(long WorkItemId) : WorkflowEvent;

/// <summary>Instance variables changed: task data, or a node's <c>cc:assign</c>.</summary>
public sealed record VariablesSet(string ElementId, ImmutableSortedDictionary<string, Value> Values) : WorkflowEvent;

/// <summary>A timer was armed; the runtime commits it, then asks the scheduler for a trigger.</summary>
public sealed record TimerScheduled(long TimerId, long TokenId, string ElementId, DateTimeOffset DueAt, string? SlaPolicy) : WorkflowEvent;

public sealed record TimerFired(long TimerId) : WorkflowEvent;

public sealed record TimerCancelled(long TimerId) : WorkflowEvent;

/// <summary>A pending timer got a new due time, or was held (<see cref="DueAt"/> null) until it gets one.</summary>
public sealed record TimerRescheduled(long TimerId, DateTimeOffset? DueAt, string Reason) : WorkflowEvent;

/// <summary>A fact recorded beside the flow: a ticket note, an SLA pause, resume or extension.</summary>
public sealed record Annotated(string Kind, ImmutableSortedDictionary<string, Value> Data) : WorkflowEvent;

public sealed record MessageSubscribed(long SubscriptionId, long TokenId, string ElementId, string MessageName) : WorkflowEvent;

public sealed record MessageUnsubscribed(long SubscriptionId) : WorkflowEvent;

/// <summary>A message arrived; <see cref="SubscriptionId"/> is null when nothing was waiting for it.</summary>
public sealed record MessageReceived(string MessageName, string? MessageId, string? Text, long? SubscriptionId) : WorkflowEvent;

/// <summary>A send task's text went to the customer (through the runtime's outbox).</summary>
public sealed record PromptSent(long TokenId, string ElementId, string? Step, string Text) : WorkflowEvent;

/// <summary>A service task ran: the runtime acts on its kind (create a ticket, alert a person).</summary>
public sealed record ServiceInvoked(long TokenId, string ElementId, string ServiceKind, ImmutableSortedDictionary<string, Value> Data) : WorkflowEvent;

public sealed record InstanceCompleted : WorkflowEvent;

public sealed record InstanceCancelled(string Reason) : WorkflowEvent;

public sealed record InstanceFaulted(string? ElementId, string Reason) : WorkflowEvent;

/// <summary>
/// The instance's scopes of <see cref="DefinitionKey"/> moved from <see cref="FromVersion"/> to
/// <see cref="ToVersion"/>: every token, work item, timer and message wait in them now stands on
/// the element <see cref="Mapping"/> names for its old one (timers keep their id and due time).
/// <see cref="Pinned"/> is what the instance runs on from here on (new scopes and called flows).
/// The whole mapping is carried, not only the entries used, so the journal alone replays the move
/// and shows what was approved.
/// </summary>
public sealed record InstanceMigrated(
    string DefinitionKey,
    int FromVersion,
    int ToVersion,
    ImmutableSortedDictionary<string, int> Pinned,
    ImmutableSortedDictionary<string, string> Mapping) : WorkflowEvent;

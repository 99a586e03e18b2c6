using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine;

/// <summary>Something a person, a customer or a timer asks of an instance.</summary>
public abstract record WorkflowCommand
{
    /// <summary>Who asks: a user name, a customer reference, or null for timers.</summary>
    public string? Actor { get; init; }

    /// <summary>
    /// Variables the runtime supplies with the command because they depend on when it happens,
    /// such as the closing greeting right for this minute (<c>salamPenutup</c>). Those that differ
    /// from the instance's current values are journaled as a <c>VariablesSet</c> on the element
    /// <c>$context</c> before the command runs, so a replay sees exactly what the live run saw.
    /// </summary>
    public IReadOnlyDictionary<string, Value>? Context { get; init; }
}

/// <summary>Starts an instance of a definition in the engine's <see cref="DefinitionSet"/>.</summary>
public sealed record StartInstance(string DefinitionKey, IReadOnlyDictionary<string, Value>? Variables = null) : WorkflowCommand;

/// <summary>Completes a work item; <paramref name="Outcome"/> names the flow at an agent-decided gateway.</summary>
public sealed record CompleteWorkItem(long WorkItemId, string? Outcome = null, IReadOnlyDictionary<string, Value>? Data = null) : WorkflowCommand;

/// <summary>A customer's message; <paramref name="MessageId"/>, when given, makes delivery idempotent.</summary>
public sealed record DeliverMessage(string MessageName, string? Text = null, string? MessageId = null) : WorkflowCommand;

/// <summary>A timer fell due. Firing a timer that is no longer pending does nothing.</summary>
public sealed record FireTimer(long TimerId) : WorkflowCommand;

public sealed record CancelInstance(string Reason) : WorkflowCommand;

/// <summary>
/// Moves a pending timer, or holds it when <paramref name="DueAt"/> is null (a held timer stays
/// pending but never fires until it is given a due time again). The runtime uses it to follow an
/// SLA clock that paused or was extended; <paramref name="Reason"/> is journaled.
/// </summary>
public sealed record RescheduleTimer(long TimerId, DateTimeOffset? DueAt, string Reason) : WorkflowCommand;

/// <summary>
/// Records a fact about the instance that is not a step of its flow (a ticket note, an SLA pause
/// or extension), so the journal stays the one complete history. It changes no flow state.
/// </summary>
public sealed record Annotate(string Kind, IReadOnlyDictionary<string, Value>? Data = null) : WorkflowCommand;

/// <summary>
/// Moves the instance's scopes of <paramref name="DefinitionKey"/> from <paramref name="FromVersion"/>
/// to the version the engine's set pins for that key, relocating every token, work item, timer and
/// message wait by <paramref name="Mapping"/> (an element or flow id of the old version to one of
/// the new). The engine refuses it, naming every reason, unless every wait has a place of the same
/// kind on the new version (see <see cref="InstanceMigration.Check"/>).
/// </summary>
public sealed record MigrateInstance(string DefinitionKey, int FromVersion, IReadOnlyDictionary<string, string> Mapping) : WorkflowCommand;

/// <summary>Why a command was refused.</summary>
public enum RejectionReason
{
    AlreadyStarted,
    NotRunning,
    UnknownDefinition,
    UnknownWorkItem,
    OutcomeRequired,
    OutcomeNotAllowed,
    MissingFields,
    InvalidData,
    UnknownTimer,
    InvalidAnnotation,
    MigrationRefused,
}

/// <summary>A command the instance cannot accept; nothing was changed.</summary>
public sealed class WorkflowCommandRejectedException(RejectionReason reason, string message) : Exception(message)
{
    public RejectionReason Reason { get; } = reason;
}

/// <summary>Raised when a journal does not fold: a gap in sequence numbers or an event that contradicts the state.</summary>
public sealed class JournalException(long sequence, string message) : Exception($"event {sequence}: {message}")
{
    public long Sequence { get; } = sequence;
}

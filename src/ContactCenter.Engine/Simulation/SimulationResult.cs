using ContactCenter.Engine.Journal;

namespace ContactCenter.Engine.Simulation;

/// <summary>What a step record says happened.</summary>
public enum SimulationRecordKind
{
    Started,
    WorkItemOpened,
    WorkItemCompleted,
    WorkItemCancelled,
    CalledFlow,
    TimerFired,
    CustomerMessage,
    Prompt,
    ServiceInvoked,
    VariablesSet,
    StepReached,
    InstanceCompleted,
    InstanceCancelled,
    InstanceFaulted,
}

/// <summary>
/// One printable line of a simulation: when (offset from the start), which script step caused it
/// (null for timers), and what happened where.
/// </summary>
/// <param name="Offset">Time since the script's start.</param>
/// <param name="ScriptStep">The script step whose command caused it; 0 for the start; null for a timer.</param>
/// <param name="Kind">What happened.</param>
/// <param name="DefinitionKey">The definition the element belongs to (a called flow's key for its elements).</param>
/// <param name="ElementId">The BPMN element.</param>
/// <param name="ElementName">Its name.</param>
/// <param name="Lane">The lane (role) of the element.</param>
/// <param name="SopStep">The element's <c>cc:step</c>.</param>
/// <param name="Outcome">The outcome a work item was completed with.</param>
/// <param name="Text">The detail: a prompt's text, a message, a script, data given.</param>
public sealed record SimulationRecord(
    TimeSpan Offset,
    int? ScriptStep,
    SimulationRecordKind Kind,
    string? DefinitionKey,
    string? ElementId,
    string? ElementName,
    string? Lane,
    string? SopStep,
    string? Outcome,
    string? Text);

/// <summary>One checked expectation of the script's <c>expect</c> block.</summary>
public sealed record ExpectationResult(string Name, bool Passed, string Detail);

/// <summary>The run of a script: its records, the journal, the final state and the checks.</summary>
public sealed record SimulationResult(
    SimulationScript Script,
    IReadOnlyList<SimulationRecord> Records,
    IReadOnlyList<WorkflowEvent> Journal,
    InstanceState State,
    IReadOnlyList<ExpectationResult> Expectations,
    string? Error)
{
    /// <summary>The script ran to its end and every expectation held.</summary>
    public bool Succeeded => Error is null && Expectations.All(e => e.Passed);
}

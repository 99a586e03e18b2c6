using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Flows;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Tickets;

/// <summary>Who works a ticket now: the lanes of the ticket-escalation flow.</summary>
public enum TicketQueue
{
    /// <summary>Open work in the "Tier 2" lane (steps 12-15).</summary>
    Tier2,

    /// <summary>Open work in the "Pihak Terkait" lane (steps 16-19), for the unit it was dispatched to.</summary>
    RelatedTeam,
}

/// <summary>A note or memo on a ticket, from its journal.</summary>
public sealed record TicketNote(long Sequence, DateTimeOffset At, string? Author, string Text, string Source);

/// <summary>A ticket as a queue shows it: what it is about, where it is, and its SLA.</summary>
public sealed record TicketSummary(
    Guid Id,
    InstanceStatus Status,
    string? Category,
    string? Priority,
    string? Description,
    string? CustomerRef,
    string? SourceChannel,
    Guid? ConversationId,
    string? Unit,
    WorkItem? CurrentTask,
    TicketQueue? Queue,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    TicketSlaState? Sla);

/// <summary>A ticket as its page shows it: the summary, the instance behind it, and its notes.</summary>
public sealed record TicketDetail(TicketSummary Ticket, InstanceRecord Record, IReadOnlyList<TicketNote> Notes);

/// <summary>Why a ticket action was refused.</summary>
public sealed class TicketActionException(string message) : InvalidOperationException(message);

/// <summary>
/// The ticket side of the SOP (steps 12-19): queues per role over open ticket instances, notes,
/// dispatch to a related team (Pihak Terkait) and close. Every action goes through the engine,
/// so it is journaled: a note is an <c>annotated@1</c> of kind <see cref="NoteKind"/>; dispatch
/// and close complete the flow's own work items, found by their <c>cc:purpose</c>
/// (<see cref="StepPurposes"/>), never by element id.
/// </summary>
public sealed class TicketDesk(InstanceRuntime runtime, DefinitionCatalog catalog, TicketSla sla, TimeProvider clock, IReadModelStore readModels, TicketQueueProjection projection)
{
    public const string DefinitionKey = "ticket-escalation";

    public const string NoteKind = "note";

    /// <summary>The variable Tier 2's note to the related team is kept in (step 14a's data), shown among the ticket's notes.</summary>
    public const string DispatchNoteVariable = "catatanDispatch";

    /// <summary>The variable that holds the unit a ticket was dispatched to.</summary>
    public const string UnitVariable = "unitTerkait";

    public const string Tier2Lane = "Tier 2";

    public const string RelatedTeamLane = "Pihak Terkait";

    // Tier 2's steps in the flow: receive (12), identify (13), decide (14: the outcome leading to
    // the dispatch dispatches, the other is solved without dispatch, 14b), close with a memo (15).
    private static readonly string[] BeforeDecision = [StepPurposes.TicketReceived, StepPurposes.Tier2Identification];
    private static readonly string[] BeforeClose = [StepPurposes.TicketReceived, StepPurposes.Tier2Identification, StepPurposes.Tier2Decision];

    /// <summary>
    /// The purposes of a ticket flow version published before <c>cc:purpose</c> existed, by its
    /// SOP step numbers (<c>cc:step</c>): running tickets stay pinned to such versions.
    /// </summary>
    private static readonly Dictionary<string, string> LegacyStepPurposes = new(StringComparer.Ordinal)
    {
        ["12"] = StepPurposes.TicketReceived,
        ["13"] = StepPurposes.Tier2Identification,
        ["14"] = StepPurposes.Tier2Decision,
        ["14a"] = StepPurposes.Dispatch,
        ["15"] = StepPurposes.TicketClose,
    };

    /// <summary>
    /// Open tickets waiting in <paramref name="queue"/>, the earliest breach first, then the oldest;
    /// for a related team, only those dispatched to <paramref name="unit"/> (any unit when null).
    /// Read from the ticket queue's read model (<see cref="TicketQueueProjection"/>): one indexed
    /// query, no journal.
    /// </summary>
    public async Task<IReadOnlyList<TicketSummary>> QueueAsync(TicketQueue queue, string? unit = null, int limit = 500, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = await readModels.ListRowsAsync(
            new ReadModelRowQuery
            {
                Model = TicketQueueProjection.Model,
                Queues = [TicketQueueProjection.QueueName(queue)],
                Partition = queue == TicketQueue.RelatedTeam && unit is not null ? TicketQueueProjection.PartitionOf(unit) : null,
                Limit = Math.Max(0, limit),
            },
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => projection.Summarize(r, now))];
    }

    /// <summary>
    /// Open tickets of both lanes in <paramref name="band"/> now, the earliest breach first, at
    /// most <paramref name="limit"/> (the dashboard's most urgent).
    /// </summary>
    public async Task<IReadOnlyList<TicketSummary>> InBandAsync(DeadlineBand band, int limit, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var rows = await readModels.ListRowsAsync(
            new ReadModelRowQuery { Model = TicketQueueProjection.Model, Queues = Lanes, Band = band, At = now, Limit = Math.Max(0, limit) },
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => projection.Summarize(r, now))];
    }

    /// <summary>Open tickets per lane by SLA band now, counted by the database.</summary>
    public Task<IReadOnlyList<ReadModelQueueCount>> CountAsync(CancellationToken cancellationToken = default) =>
        readModels.CountRowsAsync(TicketQueueProjection.Model, Lanes, clock.GetUtcNow(), cancellationToken);

    private static readonly string[] Lanes = [TicketQueueProjection.QueueName(TicketQueue.Tier2), TicketQueueProjection.QueueName(TicketQueue.RelatedTeam)];

    /// <summary>One ticket with its SLA.</summary>
    /// <exception cref="InstanceNotFoundException">No ticket has that id.</exception>
    public async Task<TicketSummary> GetAsync(Guid ticketId, CancellationToken cancellationToken = default) =>
        (await DetailAsync(ticketId, cancellationToken).ConfigureAwait(false)).Ticket;

    /// <summary>Notes and memos: those added beside the flow and the <c>catatan</c> of the flow's memo steps (15, 19).</summary>
    /// <exception cref="InstanceNotFoundException">No ticket has that id.</exception>
    public async Task<IReadOnlyList<TicketNote>> NotesAsync(Guid ticketId, CancellationToken cancellationToken = default) =>
        (await DetailAsync(ticketId, cancellationToken).ConfigureAwait(false)).Notes;

    /// <summary>A ticket with its SLA, its instance record and its notes, from one read of each.</summary>
    /// <exception cref="InstanceNotFoundException">No ticket has that id.</exception>
    public async Task<TicketDetail> DetailAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        var record = await RequireTicketAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var journal = await runtime.ReadJournalAsync(ticketId, cancellationToken).ConfigureAwait(false);
        return new TicketDetail(Summarize(record, InstanceState.FromJson(record.Snapshot), journal, clock.GetUtcNow()), record, NotesOf(journal));
    }

    /// <summary>Adds a note to an open ticket (Tier 2 or the related team following up).</summary>
    public async Task<InstanceRecord> AddNoteAsync(Guid ticketId, string text, string actor, CancellationToken cancellationToken = default)
    {
        RequireText(text, "a note needs text");
        await RequireTicketAsync(ticketId, cancellationToken).ConfigureAwait(false);
        return await runtime.AnnotateAsync(ticketId, NoteKind, new Dictionary<string, Value> { ["catatan"] = text.Trim() }, actor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tier 2 sends the ticket to a related team's unit (steps 14 → 14a).</summary>
    /// <exception cref="TicketActionException">The ticket is not with Tier 2 before its decision.</exception>
    public async Task<InstanceRecord> DispatchAsync(Guid ticketId, string unit, string? note, string actor, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        RequireText(unit, "dispatch needs the unit of the related team");
        var (task, version) = await AdvanceAsync(ticketId, StepPurposes.Tier2Decision, BeforeDecision, actor, expectedVersion, cancellationToken).ConfigureAwait(false);
        if (task is null || !task.Is(StepPurposes.Tier2Decision))
        {
            throw new TicketActionException($"ticket {ticketId} is not waiting for Tier 2's decision (now at {task?.Item.Name ?? "no open task"})");
        }

        var dispatchOutcome = task.OutcomeTo(dispatch: true)
            ?? throw new TicketActionException($"ticket {ticketId}: no outcome of '{task.Item.Name}' leads to a step with cc:purpose {StepPurposes.Dispatch}");

        var data = new Dictionary<string, Value> { [UnitVariable] = unit.Trim() };
        if (!string.IsNullOrWhiteSpace(note))
        {
            data[DispatchNoteVariable] = note.Trim();
        }

        return await runtime.CompleteWorkItemAsync(ticketId, task.Item.Id, dispatchOutcome, data, actor, version, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tier 2 closes the ticket with its memo (step 15): from its decision (solved without
    /// dispatch, 14b) or after the related team's memo came back.
    /// </summary>
    /// <exception cref="TicketActionException">The ticket is with the related team, or closed.</exception>
    public async Task<InstanceRecord> CloseAsync(Guid ticketId, string memo, string actor, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        RequireText(memo, "closing a ticket needs a note/memo");
        var (task, version) = await AdvanceAsync(ticketId, StepPurposes.TicketClose, BeforeClose, actor, expectedVersion, cancellationToken).ConfigureAwait(false);
        if (task is null || !task.Is(StepPurposes.TicketClose))
        {
            throw new TicketActionException($"ticket {ticketId} cannot be closed by Tier 2 now (now at {task?.Item.Name ?? "no open task"}, lane {task?.Item.Lane ?? "-"})");
        }

        return await runtime.CompleteWorkItemAsync(ticketId, task.Item.Id, null, new Dictionary<string, Value> { ["catatan"] = memo.Trim() }, actor, version, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes the Tier 2 steps that the action implies (receiving the ticket, identifying the
    /// problem; at the decision, the outcome that does not dispatch) until the open task has the
    /// <paramref name="target"/> purpose, each journaled under the actor. Returns the open task
    /// and the version to expect.
    /// </summary>
    private async Task<(OpenTask? Task, long? Version)> AdvanceAsync(Guid ticketId, string target, string[] implied, string actor, long? expectedVersion, CancellationToken cancellationToken)
    {
        // The expected version goes with the first completion; the runtime refuses it when stale.
        var record = await RequireTicketAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var task = await CurrentAsync(record, cancellationToken).ConfigureAwait(false);
        var expected = expectedVersion;
        while (task is not null && !task.Is(target) && implied.Any(task.Is))
        {
            var outcome = task.Is(StepPurposes.Tier2Decision) ? task.OutcomeTo(dispatch: false) : null;
            record = await runtime.CompleteWorkItemAsync(ticketId, task.Item.Id, outcome, null, actor, expected, cancellationToken: cancellationToken).ConfigureAwait(false);
            expected = record.Version;
            task = await CurrentAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return (task, expected);
    }

    /// <summary>The open work item with its flow node, in the definition version its scope runs; null when none is open.</summary>
    private async Task<OpenTask?> CurrentAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var state = InstanceState.FromJson(record.Snapshot);
        if (state.WorkItems.Count == 0)
        {
            return null;
        }

        var item = state.WorkItems[0];
        var scope = state.ScopeOfToken(item.TokenId);
        var definition = await catalog.LoadAsync(scope?.DefinitionKey ?? record.DefinitionKey, scope?.DefinitionVersion ?? record.DefinitionVersion, cancellationToken).ConfigureAwait(false);
        return new OpenTask(item, definition.Nodes.GetValueOrDefault(item.ElementId), Legacy: !definition.Nodes.Values.Any(n => n.Purposes.Count > 0));
    }

    /// <summary>An open work item and its flow node; <paramref name="Legacy"/> when its version declares no <c>cc:purpose</c> at all.</summary>
    private sealed record OpenTask(WorkItem Item, FlowNode? Node, bool Legacy)
    {
        /// <summary>Whether the task's node declares <paramref name="purpose"/>; in a legacy version, by its SOP step number.</summary>
        public bool Is(string purpose) => Node is not null && IsPurpose(Node, purpose, Legacy);

        /// <summary>At Tier 2's decision, the outcome (flow name) that leads to the dispatch, or the first one that does not.</summary>
        public string? OutcomeTo(bool dispatch) =>
            Node?.Outgoing.FirstOrDefault(f => IsPurpose(f.Target, StepPurposes.Dispatch, Legacy) == dispatch)?.Name;

        private static bool IsPurpose(FlowNode node, string purpose, bool legacy) =>
            legacy
                ? node.Step is { } step && LegacyStepPurposes.TryGetValue(step, out var declared) && declared == purpose
                : node.HasPurpose(purpose);
    }

    /// <summary>The queue a ticket's open work is in, or null when none (closed, or only timers pending).</summary>
    public static TicketQueue? QueueOf(InstanceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var item in state.WorkItems)
        {
            if (item.Lane == Tier2Lane)
            {
                return TicketQueue.Tier2;
            }

            if (item.Lane == RelatedTeamLane)
            {
                return TicketQueue.RelatedTeam;
            }
        }

        return null;
    }

    /// <summary>The unit a ticket was dispatched to, or null.</summary>
    public static string? UnitOf(InstanceState state) => Text(state, UnitVariable);

    private static List<TicketNote> NotesOf(IEnumerable<WorkflowEvent> journal)
    {
        var notes = new List<TicketNote>();
        foreach (var e in journal)
        {
            switch (e)
            {
                case Annotated { Kind: NoteKind } note when note.Data.TryGetValue("catatan", out var text):
                    notes.Add(new TicketNote(e.Sequence, e.At, e.Actor, text.ToString(), "note"));
                    break;
                case WorkItemCompleted completed when completed.Data.TryGetValue("catatan", out var memo):
                    notes.Add(new TicketNote(e.Sequence, e.At, e.Actor, memo.ToString(), "memo"));
                    break;
                // Tier 2's words to the related team go with the dispatch: the team reads them among the notes.
                case WorkItemCompleted dispatched when dispatched.Data.TryGetValue(DispatchNoteVariable, out var forTeam):
                    notes.Add(new TicketNote(e.Sequence, e.At, e.Actor, forTeam.ToString(), "dispatch"));
                    break;
            }
        }

        return notes;
    }

    private TicketSummary Summarize(InstanceRecord record, InstanceState state, IReadOnlyList<WorkflowEvent> journal, DateTimeOffset now)
    {
        TicketSlaState? slaState = null;
        try
        {
            slaState = sla.StateOf(record, state, journal, state.EndedAt ?? now);
        }
        catch (KeyNotFoundException)
        {
            // No policy covers the ticket's category and priority: show it without an SLA rather than hide it.
        }

        return new TicketSummary(
            record.Id,
            record.Status,
            Text(state, SlaPolicySet.CategoryVariable),
            Text(state, SlaPolicySet.PriorityVariable),
            Text(state, "deskripsi"),
            record.CustomerRef,
            Text(state, "kanal"),
            record.ParentInstanceId,
            UnitOf(state),
            state.WorkItems.Count > 0 ? state.WorkItems[0] : null,
            QueueOf(state),
            record.StartedAt,
            record.EndedAt,
            slaState);
    }

    private async Task<InstanceRecord> RequireTicketAsync(Guid ticketId, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        return record.DefinitionKey == DefinitionKey ? record : throw new InstanceNotFoundException(ticketId);
    }

    private static string? Text(InstanceState state, string name)
    {
        var value = state.Get(name);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>Whether two unit names are the same unit (trimmed, case-insensitive); a missing one matches nothing.</summary>
    public static bool IsSameUnit(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static void RequireText(string? text, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TicketActionException(message);
        }
    }
}

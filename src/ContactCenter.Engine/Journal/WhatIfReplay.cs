using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Journal;

/// <summary>How a what-if replay reads outcomes and how long it lets the clock run.</summary>
public sealed record WhatIfOptions
{
    /// <summary>
    /// The variable a flow sets to false when it closes a conversation for the customer's silence.
    /// The engine knows no flow's words: the product's modules say which (the quality module's
    /// <c>ConversationOutcomes</c>).
    /// </summary>
    public required string SilenceVariable { get; init; }

    /// <summary>The <c>cc:serviceKind</c> of the service task that raises a ticket.</summary>
    public required string TicketServiceKind { get; init; }

    /// <summary>
    /// How long after the recorded history's last event the candidate's timers may still fire
    /// when the recorded conversation had ended (the customer stays as silent as they were).
    /// Default is 1 hour. A history still running stops its clock at its last event.
    /// </summary>
    public TimeSpan SettleAfterEnd { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When set, the candidate's clock runs to exactly this instant instead.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Most timers the candidate may fire in one replay, a guard against a looping draft. Default is 1,000.</summary>
    public int MaxTimers { get; init; } = 1_000;

    /// <summary>
    /// Due times for the candidate's timers. Default: SLA timers take the recorded history's SLA
    /// due times in order (as exact replay does), plain timers their own durations.
    /// </summary>
    public IDeadlineCalculator? Deadlines { get; init; }
}

/// <summary>What one run of a conversation came to.</summary>
/// <param name="Status">Completed, cancelled, still running (or faulted, or not started when the start itself was refused).</param>
/// <param name="ClosedBySilence">The still-connected ladder closed the chat: the silence variable was set to false.</param>
/// <param name="SilenceClosedAt">When it did.</param>
/// <param name="TicketsRaised">How many times the ticket service was invoked.</param>
/// <param name="PromptsSent">Prompts sent to the customer.</param>
/// <param name="ElementsEntered">Length of the path.</param>
/// <param name="StartedAt">When the instance started.</param>
/// <param name="EndedAt">When it completed, was cancelled or faulted; null while running.</param>
public sealed record WhatIfOutcome(
    InstanceStatus Status,
    bool ClosedBySilence,
    DateTimeOffset? SilenceClosedAt,
    int TicketsRaised,
    int PromptsSent,
    int ElementsEntered,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>Start to end; null while still running.</summary>
    public TimeSpan? Duration => StartedAt is { } s && EndedAt is { } e ? e - s : null;
}

/// <summary>One element entered, as a path step: <c>still-connected/Activity_1q0k3f2</c>.</summary>
/// <param name="Index">0-based position in the path.</param>
/// <param name="Sequence">The journal sequence number of its <c>element-entered@1</c> event.</param>
/// <param name="At">When it was entered.</param>
/// <param name="DefinitionKey">The definition of the scope it was entered in.</param>
/// <param name="ElementId">The BPMN element id.</param>
public sealed record PathStep(int Index, long Sequence, DateTimeOffset At, string DefinitionKey, string ElementId)
{
    public override string ToString() => $"{DefinitionKey}/{ElementId}";
}

/// <summary>The first element entered differently; one side is null when the other path is longer.</summary>
public sealed record WhatIfDivergence(int Index, PathStep? Original, PathStep? Candidate)
{
    public string Reason => (Original, Candidate) switch
    {
        ({ } o, { } c) => $"element {Index + 1} of the path: the recording entered {o} (#{o.Sequence}), the candidate enters {c} (#{c.Sequence})",
        ({ } o, null) => $"the candidate's path stops after {Index} elements; the recording went on to {o} (#{o.Sequence})",
        (null, { } c) => $"the candidate's path goes on after {Index} elements, to {c} (#{c.Sequence})",
        _ => "no divergence",
    };
}

/// <summary>A recorded input that does not fit the candidate; it was left out, not thrown.</summary>
/// <param name="Sequence">The recorded input's sequence number in the original journal.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Input">What it was: <c>complete Activity_0x9k2m1 (Ya)</c>, <c>message customer-message</c>.</param>
/// <param name="ElementId">The element of the work item or timer it was for, if any.</param>
/// <param name="Reason">Why it does not fit, in words.</param>
/// <param name="Rejection">The engine's reason when it refused the command; null when no command could be built.</param>
public sealed record WhatIfMisfit(long Sequence, DateTimeOffset At, string Input, string? ElementId, string Reason, RejectionReason? Rejection);

/// <summary>A recorded conversation against a candidate definition set: where it diverged, what shifted.</summary>
public sealed record WhatIfReport(
    WhatIfOutcome Original,
    WhatIfOutcome Candidate,
    WhatIfDivergence? Divergence,
    IReadOnlyList<WhatIfMisfit> Misfits,
    int InputsApplied,
    int TimersFired,
    IReadOnlyList<WorkflowEvent> CandidateJournal)
{
    public bool Diverged => Divergence is not null;

    public bool StatusShifted => Original.Status != Candidate.Status;

    public bool SilenceShifted => Original.ClosedBySilence != Candidate.ClosedBySilence;

    /// <summary>Candidate tickets minus recorded tickets.</summary>
    public int TicketShift => Candidate.TicketsRaised - Original.TicketsRaised;

    /// <summary>Candidate duration minus recorded duration, when both ended.</summary>
    public TimeSpan? DurationShift => Original.Duration is { } o && Candidate.Duration is { } c ? c - o : null;

    /// <summary>End status, silence close, tickets or duration differ.</summary>
    public bool OutcomeShifted => StatusShifted || SilenceShifted || TicketShift != 0 || (DurationShift is { } d && d != TimeSpan.Zero);
}

/// <summary>Counts over many what-if reports, for a period.</summary>
public sealed record WhatIfSummary(
    int Conversations,
    int Diverged,
    int OutcomeShifted,
    IReadOnlyDictionary<string, int> StatusShifts,
    int ClosedBySilenceBefore,
    int ClosedBySilenceAfter,
    int TicketsBefore,
    int TicketsAfter,
    int ConversationsWithMisfits,
    int Misfits,
    TimeSpan? MeanDurationBefore,
    TimeSpan? MeanDurationAfter)
{
    /// <summary>Sums the reports; status shifts are keyed <c>Completed→Running</c>.</summary>
    public static WhatIfSummary Of(IEnumerable<WhatIfReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        var shifts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in list.Where(r => r.StatusShifted))
        {
            var key = $"{r.Original.Status}→{r.Candidate.Status}";
            shifts[key] = shifts.GetValueOrDefault(key) + 1;
        }

        return new WhatIfSummary(
            list.Count,
            list.Count(r => r.Diverged),
            list.Count(r => r.OutcomeShifted),
            shifts,
            list.Count(r => r.Original.ClosedBySilence),
            list.Count(r => r.Candidate.ClosedBySilence),
            list.Sum(r => r.Original.TicketsRaised),
            list.Sum(r => r.Candidate.TicketsRaised),
            list.Count(r => r.Misfits.Count > 0),
            list.Sum(r => r.Misfits.Count),
            Mean(list.Select(r => r.Original.Duration)),
            Mean(list.Select(r => r.Candidate.Duration)));
    }

    private static TimeSpan? Mean(IEnumerable<TimeSpan?> durations)
    {
        var ended = durations.OfType<TimeSpan>().ToList();
        return ended.Count == 0 ? null : TimeSpan.FromTicks(ended.Sum(d => d.Ticks) / ended.Count);
    }
}

/// <summary>
/// What-if replay: runs the recorded customer and agent inputs of a past conversation against
/// another definition set (a draft, say) and reports where the path diverges and how the outcome
/// shifts. Pure, like the engine: time comes from the journal.
/// </summary>
/// <remarks>
/// <para>
/// The inputs are rebuilt from the journal as <see cref="JournalReplay"/> does (start, completed
/// work items, customer messages, cancellation, timer moves, annotations, each with the context
/// journaled before it), but the candidate assigns its own ids, so a recorded completion is mapped
/// by the element id of its work item (from <c>work-item-created@1</c>) to the open work item with
/// that element id in the candidate's run, and a timer move by its timer's element id.
/// </para>
/// <para>
/// Timers are the candidate's own: before each input, every candidate timer due by then fires, at
/// its due time. A candidate timer with the same element and due time as a recorded one fires
/// exactly where the recording fired it, so replaying against the recording's own definitions
/// reproduces its path. After the last input the clock runs on (see <see cref="WhatIfOptions"/>),
/// so a longer silence ladder still gets to close the chat.
/// </para>
/// <para>
/// A recorded move (<c>instance-migrated@1</c>) is replayed when the candidate runs the version it
/// moved from: each part of the conversation runs on the version it ran on. A candidate that pins
/// another version of the moved key runs that version throughout instead.
/// </para>
/// <para>
/// An input that does not fit (its work item is not open, its outcome is not allowed, the
/// candidate already ended) is reported as a <see cref="WhatIfMisfit"/> and skipped.
/// </para>
/// </remarks>
public static class WhatIfReplay
{
    /// <summary>Runs <paramref name="journal"/>'s inputs against <paramref name="candidate"/>.</summary>
    public static WhatIfReport Run(DefinitionSet candidate, IReadOnlyList<WorkflowEvent> journal, WhatIfOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        var run = new CandidateRun(candidate, journal, options);
        run.Execute();
        var original = OutcomeOf(journal, options);
        var outcome = OutcomeOf(run.Events, options);
        var divergence = FirstDivergence(PathOf(journal), PathOf(run.Events));
        return new WhatIfReport(original, outcome, divergence, run.Misfits, run.InputsApplied, run.TimersFired, run.Events);
    }

    /// <summary>The elements a journal entered, in order, each with its definition key.</summary>
    public static IReadOnlyList<PathStep> PathOf(IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var scopes = new Dictionary<long, string>();
        var path = new List<PathStep>();
        foreach (var e in journal)
        {
            switch (e)
            {
                case ScopeStarted scope:
                    scopes[scope.ScopeId] = scope.DefinitionKey;
                    break;
                case ElementEntered entered:
                    path.Add(new PathStep(path.Count, e.Sequence, e.At, scopes.GetValueOrDefault(entered.ScopeId, "?"), entered.ElementId));
                    break;
            }
        }

        return path;
    }

    /// <summary>End status, silence close, tickets, prompts and duration of a journal.</summary>
    public static WhatIfOutcome OutcomeOf(IReadOnlyList<WorkflowEvent> journal, WhatIfOptions options)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        var status = InstanceStatus.NotStarted;
        DateTimeOffset? started = null;
        DateTimeOffset? ended = null;
        DateTimeOffset? silence = null;
        int tickets = 0, prompts = 0, entered = 0;
        foreach (var e in journal)
        {
            switch (e)
            {
                case InstanceStarted:
                    status = InstanceStatus.Running;
                    started = e.At;
                    break;
                case InstanceCompleted:
                    (status, ended) = (InstanceStatus.Completed, e.At);
                    break;
                case InstanceCancelled:
                    (status, ended) = (InstanceStatus.Cancelled, e.At);
                    break;
                case InstanceFaulted:
                    (status, ended) = (InstanceStatus.Faulted, e.At);
                    break;
                case VariablesSet set when silence is null && set.Values.TryGetValue(options.SilenceVariable, out var value) && value == Value.False:
                    silence = e.At;
                    break;
                case ServiceInvoked service when string.Equals(service.ServiceKind, options.TicketServiceKind, StringComparison.Ordinal):
                    tickets++;
                    break;
                case PromptSent:
                    prompts++;
                    break;
                case ElementEntered:
                    entered++;
                    break;
            }
        }

        return new WhatIfOutcome(status, silence is not null, silence, tickets, prompts, entered, started, ended);
    }

    private static WhatIfDivergence? FirstDivergence(IReadOnlyList<PathStep> original, IReadOnlyList<PathStep> candidate)
    {
        var common = Math.Min(original.Count, candidate.Count);
        for (var i = 0; i < common; i++)
        {
            if (!string.Equals(original[i].DefinitionKey, candidate[i].DefinitionKey, StringComparison.Ordinal)
                || !string.Equals(original[i].ElementId, candidate[i].ElementId, StringComparison.Ordinal))
            {
                return new WhatIfDivergence(i, original[i], candidate[i]);
            }
        }

        return original.Count == candidate.Count
            ? null
            : new WhatIfDivergence(common, original.ElementAtOrDefault(common), candidate.ElementAtOrDefault(common));
    }

    /// <summary>A recorded input: the event that carries it, and the context journaled before it.</summary>
    private sealed record RecordedInput(WorkflowEvent Event, IReadOnlyDictionary<string, Value>? Context);

    private sealed class CandidateRun
    {
        private WorkflowEngine _engine;
        private readonly IReadOnlyList<WorkflowEvent> _journal;
        private readonly WhatIfOptions _options;
        private readonly Dictionary<long, string> _workItemElements = [];
        private readonly Dictionary<long, (string ElementId, DateTimeOffset DueAt)> _recordedTimers = [];

        /// <summary>(element, due) of each recorded timer that fired, to when it fired.</summary>
        private readonly Dictionary<(string ElementId, DateTimeOffset DueAt), DateTimeOffset> _recordedFirings = [];

        private InstanceState _state = InstanceState.Empty;
        private DateTimeOffset _clock;

        public CandidateRun(DefinitionSet candidate, IReadOnlyList<WorkflowEvent> journal, WhatIfOptions options)
        {
            _journal = journal;
            _options = options;
            _engine = new WorkflowEngine(candidate, options.Deadlines ?? new RecordedSlaDeadlines(journal));
            var timers = new Dictionary<long, (string, DateTimeOffset)>();
            foreach (var e in journal)
            {
                switch (e)
                {
                    case WorkItemCreated created:
                        _workItemElements[created.WorkItemId] = created.ElementId;
                        break;
                    case TimerScheduled scheduled:
                        timers[scheduled.TimerId] = (scheduled.ElementId, scheduled.DueAt);
                        _recordedTimers[scheduled.TimerId] = (scheduled.ElementId, scheduled.DueAt);
                        break;
                    case TimerRescheduled { DueAt: { } due } moved when timers.TryGetValue(moved.TimerId, out var timer):
                        timers[moved.TimerId] = (timer.Item1, due);
                        break;
                    case TimerFired fired when timers.TryGetValue(fired.TimerId, out var timer):
                        _recordedFirings.TryAdd(timer, e.At);
                        _recordedTimers[fired.TimerId] = timer;
                        break;
                }
            }
        }

        public List<WorkflowEvent> Events { get; } = [];

        public List<WhatIfMisfit> Misfits { get; } = [];

        public int InputsApplied { get; private set; }

        public int TimersFired { get; private set; }

        public void Execute()
        {
            var inputs = Inputs();
            foreach (var input in inputs)
            {
                var e = input.Event;
                if (e is InstanceStarted started)
                {
                    if (_state.Status != InstanceStatus.NotStarted)
                    {
                        continue;
                    }

                    _clock = e.At;
                    var start = new StartInstance(started.DefinitionKey, started.Variables) { Actor = e.Actor, Context = input.Context };
                    if (!Apply(start, e.At, e, $"start {started.DefinitionKey}", null))
                    {
                        return;
                    }

                    continue;
                }

                if (_state.Status == InstanceStatus.NotStarted)
                {
                    continue;
                }

                FireDueTimers(e.At);
                if (e is TimerFired fired)
                {
                    FireRecorded(fired, input.Context);
                    continue;
                }

                if (!_state.IsRunning)
                {
                    Misfit(e, Describe(e), ElementOf(e), $"the candidate is no longer running ({_state.Status} at {_state.EndedAt:O})", null);
                    continue;
                }

                if (e is InstanceMigrated migrated)
                {
                    Migrate(migrated, input.Context);
                    continue;
                }

                if (CommandFor(e) is not { } command)
                {
                    continue;
                }

                Apply(command with { Actor = e.Actor, Context = input.Context }, e.At, e, Describe(e), ElementOf(e));
            }

            if (_state.Status == InstanceStatus.NotStarted || _journal.Count == 0)
            {
                return;
            }

            var last = _journal[^1];
            var ended = _journal.Any(e => e is InstanceCompleted or InstanceCancelled or InstanceFaulted);
            var until = _options.Until ?? (ended ? last.At + _options.SettleAfterEnd : last.At);
            FireDueTimers(until);
        }

        /// <summary>
        /// A recorded move between versions. When the candidate still runs the version the
        /// recording moved from, the move happens here too (same mapping), and from here on the
        /// candidate runs the version the recording moved to, as the conversation did. When the
        /// candidate pins another version of that key, the candidate's version stands in for the
        /// recorded ones from start to end, so the move has nothing to move: it is skipped, not a misfit.
        /// </summary>
        private void Migrate(InstanceMigrated migrated, IReadOnlyDictionary<string, Value>? context)
        {
            if (!_engine.Definitions.TryGet(migrated.DefinitionKey, out _, out var runs) || runs != migrated.FromVersion)
            {
                return;
            }

            var pins = new Dictionary<string, int>(_engine.Definitions.Pinned, StringComparer.Ordinal) { [migrated.DefinitionKey] = migrated.ToVersion };
            foreach (var (key, version) in migrated.Pinned)
            {
                pins.TryAdd(key, version);
            }

            var before = _engine;
            try
            {
                _engine = new WorkflowEngine(before.Definitions.WithPinned(pins), before.Deadlines) { MaxTransitionsPerCommand = before.MaxTransitionsPerCommand };
            }
            catch (KeyNotFoundException missing)
            {
                Misfit(migrated, Describe(migrated), null, $"the move cannot be replayed: {missing.Message}", null);
                return;
            }

            var command = new MigrateInstance(migrated.DefinitionKey, migrated.FromVersion, migrated.Mapping) { Actor = migrated.Actor, Context = context };
            if (!Apply(command, migrated.At, migrated, Describe(migrated), null))
            {
                // The candidate's tokens stand where the mapping cannot take them: it stays where it was.
                _engine = before;
            }
        }

        /// <summary>The command a recorded input becomes in the candidate, mapped to its ids; null (and a misfit) when none fits.</summary>
        private WorkflowCommand? CommandFor(WorkflowEvent e)
        {
            switch (e)
            {
                case WorkItemCompleted completed:
                    if (!_workItemElements.TryGetValue(completed.WorkItemId, out var element))
                    {
                        Misfit(e, Describe(e), null, $"the recording never created work item {completed.WorkItemId}", null);
                        return null;
                    }

                    var open = _state.WorkItems.Where(w => w.ElementId == element).OrderBy(w => w.Id).FirstOrDefault();
                    if (open is null)
                    {
                        Misfit(e, Describe(e), element, $"no work item of {element} is open in the candidate", RejectionReason.UnknownWorkItem);
                        return null;
                    }

                    return new CompleteWorkItem(open.Id, completed.Outcome, completed.Data);
                case MessageReceived message:
                    return new DeliverMessage(message.MessageName, message.Text, message.MessageId);
                case InstanceCancelled cancelled:
                    return new CancelInstance(cancelled.Reason);
                case TimerRescheduled moved:
                    var timerElement = _recordedTimers.TryGetValue(moved.TimerId, out var t) ? t.ElementId : null;
                    var pending = timerElement is null ? null : _state.Timers.Where(p => p.ElementId == timerElement).OrderBy(p => p.Id).FirstOrDefault();
                    if (pending is null)
                    {
                        Misfit(e, Describe(e), timerElement, $"no timer of {timerElement ?? "that element"} is pending in the candidate", RejectionReason.UnknownTimer);
                        return null;
                    }

                    return new RescheduleTimer(pending.Id, moved.DueAt, moved.Reason);
                case Annotated annotation:
                    return new Annotate(annotation.Kind, annotation.Data);
                default:
                    return null;
            }
        }

        /// <summary>A recorded timer firing: the candidate's timer of the same element and due time fires here, if it has one.</summary>
        private void FireRecorded(TimerFired fired, IReadOnlyDictionary<string, Value>? context)
        {
            if (!_state.IsRunning || !_recordedTimers.TryGetValue(fired.TimerId, out var recorded))
            {
                return;
            }

            var match = _state.Timers.FirstOrDefault(t => !t.Held && t.ElementId == recorded.ElementId && t.DueAt == recorded.DueAt);
            if (match is not null && TimersFired < _options.MaxTimers)
            {
                TimersFired++;
                Apply(new FireTimer(match.Id) { Context = context }, Later(fired.At), fired, $"timer {recorded.ElementId}", recorded.ElementId);
            }
        }

        /// <summary>
        /// Fires the candidate's timers due by <paramref name="until"/>, soonest first. A timer the
        /// recording also had fires when the recording fired it (its own recorded input does that
        /// when it comes later); the others at their due time.
        /// </summary>
        private void FireDueTimers(DateTimeOffset until)
        {
            while (_state.IsRunning && TimersFired < _options.MaxTimers)
            {
                PendingTimer? next = null;
                var nextAt = DateTimeOffset.MaxValue;
                foreach (var timer in _state.Timers)
                {
                    if (timer.Held)
                    {
                        continue;
                    }

                    var matched = _recordedFirings.TryGetValue((timer.ElementId, timer.DueAt), out var recordedAt);
                    var at = matched ? recordedAt : timer.DueAt;

                    // A matched timer firing exactly now is left to its recorded input, which keeps the recorded order.
                    var due = matched ? at < until : at <= until;
                    if (due && at < nextAt)
                    {
                        (next, nextAt) = (timer, at);
                    }
                }

                if (next is null)
                {
                    return;
                }

                TimersFired++;
                if (!Apply(new FireTimer(next.Id), Later(nextAt), null, $"timer {next.ElementId}", next.ElementId))
                {
                    return;
                }
            }
        }

        private DateTimeOffset Later(DateTimeOffset at) => at > _clock ? at : _clock;

        private bool Apply(WorkflowCommand command, DateTimeOffset at, WorkflowEvent? recorded, string description, string? elementId)
        {
            try
            {
                var decision = _engine.Decide(_state, command, Later(at));
                _state = decision.State;
                _clock = Later(at);
                Events.AddRange(decision.Events);
                if (recorded is not null)
                {
                    InputsApplied++;
                }

                return true;
            }
            catch (WorkflowCommandRejectedException rejected)
            {
                if (recorded is not null)
                {
                    Misfit(recorded, description, elementId, rejected.Message, rejected.Reason);
                }

                return false;
            }
        }

        private void Misfit(WorkflowEvent recorded, string input, string? elementId, string reason, RejectionReason? rejection) =>
            Misfits.Add(new WhatIfMisfit(recorded.Sequence, recorded.At, input, elementId, reason, rejection));

        private string? ElementOf(WorkflowEvent e) => e switch
        {
            WorkItemCompleted c => _workItemElements.GetValueOrDefault(c.WorkItemId),
            TimerRescheduled m => _recordedTimers.TryGetValue(m.TimerId, out var t) ? t.ElementId : null,
            TimerFired f => _recordedTimers.TryGetValue(f.TimerId, out var t) ? t.ElementId : null,
            _ => null,
        };

        private string Describe(WorkflowEvent e) => e switch
        {
            WorkItemCompleted c => $"complete {_workItemElements.GetValueOrDefault(c.WorkItemId, $"work item {c.WorkItemId}")}" + (c.Outcome is null ? string.Empty : $" ({c.Outcome})"),
            MessageReceived m => $"message {m.MessageName}" + (m.Text is null ? string.Empty : $": \"{m.Text}\""),
            InstanceCancelled c => $"cancel ({c.Reason})",
            TimerRescheduled m => $"reschedule timer {ElementOf(m)}",
            Annotated a => $"annotate {a.Kind}",
            InstanceMigrated m => $"migrate {m.DefinitionKey} v{m.FromVersion} → v{m.ToVersion}",
            _ => JournalSerializer.TypeNameOf(e),
        };

        /// <summary>Each recorded input with its context, in journal order.</summary>
        private List<RecordedInput> Inputs()
        {
            var inputs = new List<RecordedInput>();
            IReadOnlyDictionary<string, Value>? context = null;
            for (var i = 0; i < _journal.Count; i++)
            {
                var e = _journal[i];
                switch (e)
                {
                    case VariablesSet { ElementId: JournalReplay.ContextElement } set:
                        if (i > 0 && _journal[i - 1] is InstanceStarted && inputs.Count > 0 && inputs[^1].Event == _journal[i - 1])
                        {
                            // The start journals its context right after instance-started@1.
                            inputs[^1] = inputs[^1] with { Context = set.Values };
                        }
                        else
                        {
                            context = set.Values;
                        }

                        break;
                    case InstanceStarted or WorkItemCompleted or MessageReceived or TimerFired or InstanceCancelled or TimerRescheduled or Annotated or InstanceMigrated:
                        inputs.Add(new RecordedInput(e, context));
                        context = null;
                        break;
                }
            }

            return inputs;
        }
    }
}

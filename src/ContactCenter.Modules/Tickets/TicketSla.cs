using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Calendar;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Tickets;

/// <summary>A ticket's SLA as it stands: the policy it runs under, the clock's figures, and its pauses and extension.</summary>
public sealed record TicketSlaState(Guid TicketId, string Policy, DateTimeOffset Start, SlaSnapshot Snapshot, IReadOnlyList<SlaPause> Pauses, SlaExtension? Extension);

/// <summary>A journaled change of a ticket's SLA clock: <see cref="TicketSla.PausedKind"/>, <see cref="TicketSla.ResumedKind"/> or <see cref="TicketSla.ExtendedKind"/>.</summary>
public sealed record SlaFact(string Kind, DateTimeOffset At, string? Reason);

/// <summary>
/// The SLA clock of a ticket instance, kept in its journal and its timers. Pausing (the ticket
/// waits on the customer), resuming and the one extension are journaled as annotations
/// (<see cref="PausedKind"/>, <see cref="ResumedKind"/>, <see cref="ExtendedKind"/>) in the same
/// commit as the rescheduled SLA timers: a pause holds the warning and breach timers, a resume or
/// an extension moves them to the clock's new dues. The clock is rebuilt from the journal, so
/// what QC replays is what the timers followed.
/// </summary>
/// <remarks>
/// The clock starts when the ticket instance starts and runs under the policy of the ticket's
/// <c>kategori</c> and <c>prioritas</c>, the same one the engine's <see cref="SlaDeadlineCalculator"/>
/// used to arm the timers. A warning that already fired is not sent again after an extension.
/// </remarks>
public sealed class TicketSla(InstanceRuntime runtime, WorkingCalendar calendar, SlaPolicySet policies)
{
    public const string PausedKind = "sla-paused";

    public const string ResumedKind = "sla-resumed";

    public const string ExtendedKind = "sla-extended";

    public WorkingCalendar Calendar { get; } = calendar;

    public SlaPolicySet Policies { get; } = policies;

    /// <summary>The ticket's SLA at <paramref name="at"/>.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<TicketSlaState> GetAsync(Guid ticketId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var record = await runtime.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var journal = await runtime.ReadJournalAsync(ticketId, cancellationToken).ConfigureAwait(false);
        return StateOf(record, InstanceState.FromJson(record.Snapshot), journal, at);
    }

    /// <summary>The SLA at <paramref name="at"/> of a ticket already loaded with its journal.</summary>
    /// <exception cref="KeyNotFoundException">No policy covers the ticket's category and priority.</exception>
    public TicketSlaState StateOf(InstanceRecord record, InstanceState state, IEnumerable<WorkflowEvent> journal, DateTimeOffset at)
    {
        var clock = ClockOf(record, state, journal);
        return new TicketSlaState(record.Id, clock.Policy.Name, clock.Start, clock.Evaluate(Calendar, at), clock.Pauses, clock.Extension);
    }

    /// <summary>Stops the clock: the ticket waits on the customer. The SLA timers are held.</summary>
    /// <exception cref="TicketActionException">The clock is already paused.</exception>
    public Task<InstanceRecord> PauseAsync(Guid ticketId, string reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(ticketId, PausedKind, reason, actor, (clock, now) => clock.Pause(now), cancellationToken);

    /// <summary>Starts the clock again; the SLA timers move by the working time the pause took.</summary>
    /// <exception cref="TicketActionException">The clock is not paused.</exception>
    public Task<InstanceRecord> ResumeAsync(Guid ticketId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(ticketId, ResumedKind, null, actor, (clock, now) => clock.Resume(now), cancellationToken);

    /// <summary>The one extension OJK allows, with its reason; the breach timer moves by the policy's extension.</summary>
    /// <exception cref="SlaExtensionRefusedException">Refused (second extension, no reason, already breached).</exception>
    public Task<InstanceRecord> ExtendAsync(Guid ticketId, string reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(ticketId, ExtendedKind, reason, actor, (clock, now) => clock.Extend(Calendar, now, reason), cancellationToken);

    /// <summary>Rebuilds a ticket's clock from its start, its variables and the SLA annotations in its journal.</summary>
    public SlaClock ClockOf(InstanceRecord record, InstanceState state, IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(journal);
        return Replay(new SlaClock(record.StartedAt, Policies.ForTicket(state.Variables)), Calendar, FactsOf(journal.Where(e => e.Sequence <= state.Version)));
    }

    /// <summary>The pauses, resumes and extension journaled among <paramref name="events"/>, in order.</summary>
    public static IEnumerable<SlaFact> FactsOf(IEnumerable<WorkflowEvent> events) =>
        events.OfType<Annotated>()
            .Where(a => a.Kind is PausedKind or ResumedKind or ExtendedKind)
            .Select(a => new SlaFact(a.Kind, a.At, Reason(a)));

    /// <summary>The clock after <paramref name="facts"/>, in order.</summary>
    public static SlaClock Replay(SlaClock clock, WorkingCalendar calendar, IEnumerable<SlaFact> facts)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var fact in facts)
        {
            clock = fact.Kind switch
            {
                PausedKind => clock.Pause(fact.At),
                ResumedKind => clock.Resume(fact.At),
                ExtendedKind => clock.Extend(calendar, fact.At, fact.Reason ?? "(no reason recorded)"),
                _ => clock,
            };
        }

        return clock;
    }

    private Task<InstanceRecord> ChangeAsync(Guid ticketId, string kind, string? reason, string actor, Func<SlaClock, DateTimeOffset, SlaClock> change, CancellationToken cancellationToken) =>
        runtime.ExecuteManyAsync(
            ticketId,
            async (record, state, now, ct) =>
            {
                var journal = await runtime.ReadJournalAsync(ticketId, ct).ConfigureAwait(false);
                SlaClock clock;
                try
                {
                    clock = change(ClockOf(record, state, journal), now);
                }
                catch (InvalidOperationException e) when (e is not SlaExtensionRefusedException)
                {
                    // Pausing twice, resuming without a pause: the client's mistake, said as such.
                    throw new TicketActionException(e.Message);
                }

                var snapshot = clock.Evaluate(Calendar, now);
                var data = new Dictionary<string, Value>(StringComparer.Ordinal) { ["kebijakan"] = clock.Policy.Name };
                if (reason is not null)
                {
                    data["alasan"] = reason;
                }

                var commands = new List<WorkflowCommand> { new Annotate(kind, data) { Actor = actor } };
                foreach (var timer in state.Timers)
                {
                    if (timer.SlaPolicy is null || !Policies.TryGetTimer(timer.SlaPolicy, out var timerPolicy))
                    {
                        continue;
                    }

                    var due = timerPolicy.Point switch
                    {
                        SlaTimerPoint.FirstResponse => snapshot.FirstResponseDue,
                        SlaTimerPoint.Warning => snapshot.WarningDue,
                        _ => snapshot.BreachDue,
                    };
                    if (due is null ? !timer.Held : timer.Held || due != timer.DueAt)
                    {
                        commands.Add(new RescheduleTimer(timer.Id, due, kind) { Actor = actor });
                    }
                }

                return commands;
            },
            cancellationToken);

    private static string? Reason(Annotated annotation) =>
        annotation.Data.TryGetValue("alasan", out var reason) && !reason.IsNull ? reason.ToString() : null;
}

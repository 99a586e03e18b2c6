using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Journal;

/// <summary>
/// Due times for re-running a recorded journal: SLA timers (<c>cc:slaPolicy</c>) fall due when the
/// recording's <c>timer-scheduled@1</c> events say they did, in order, because they depend on
/// calendar data outside the definition (holidays added later must not change an old history);
/// plain timers are recomputed from their durations. Used by exact and what-if replay.
/// </summary>
internal sealed class RecordedSlaDeadlines(IEnumerable<WorkflowEvent> journal) : IDeadlineCalculator
{
    private readonly Queue<DateTimeOffset> _slaDues = new(journal.OfType<TimerScheduled>().Where(t => t.SlaPolicy is not null).Select(t => t.DueAt));

    public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy) =>
        slaPolicy is not null && _slaDues.TryDequeue(out var due) ? due : from + duration;

    public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy, IReadOnlyDictionary<string, Value> variables) =>
        DueAt(from, duration, slaPolicy);
}

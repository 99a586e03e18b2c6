using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;

namespace ContactCenter.Modules.Calendar;

/// <summary>
/// The engine's timer due times on the working calendar: a timer whose <c>cc:slaPolicy</c> names a
/// timer policy (e.g. <c>complaint-warning</c>, <c>complaint-resolution</c>) is due when that point of
/// the ticket policy is reached in working time; a timer without a policy is due after its plain
/// duration. Pure, as <see cref="IDeadlineCalculator"/> requires.
/// </summary>
/// <remarks>
/// The BPMN duration of an SLA timer (<c>P10D</c>) is only its nominal value and is ignored here.
/// Pauses and extensions are not the engine's: the runtime evaluates an <see cref="SlaClock"/>
/// and reschedules. A name that no timer policy defines is a configuration error and throws,
/// rather than silently falling back to calendar days; <see cref="Knows"/> lets start-up check
/// every name the definitions use.
/// </remarks>
public sealed class SlaDeadlineCalculator(WorkingCalendar calendar, SlaPolicySet policies) : IDeadlineCalculator
{
    public WorkingCalendar Calendar { get; } = calendar;

    public SlaPolicySet Policies { get; } = policies;

    /// <exception cref="KeyNotFoundException"><paramref name="slaPolicy"/> is not a timer policy.</exception>
    public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy) =>
        DueAt(from, duration, slaPolicy, EmptyVariables);

    /// <summary>
    /// As the three-argument overload; a timer policy <c>byTicket</c> takes the policy of the
    /// instance's <c>kategori</c> and <c>prioritas</c>.
    /// </summary>
    public DateTimeOffset DueAt(DateTimeOffset from, TimeSpan duration, string? slaPolicy, IReadOnlyDictionary<string, Value> variables)
    {
        if (slaPolicy is null)
        {
            return from + duration;
        }

        if (!Policies.TryGetTimer(slaPolicy, out var timer))
        {
            throw new KeyNotFoundException($"cc:slaPolicy '{slaPolicy}' is not a timer policy in the SLA configuration (known: {string.Join(", ", Policies.TimerPolicies.Select(t => t.Name))})");
        }

        var policy = Policies.PolicyOf(timer, variables);
        var resolution = policy.Resolution.ToWorkingTime(Calendar);
        var workingTime = timer.Point switch
        {
            SlaTimerPoint.FirstResponse => policy.FirstResponse.ToWorkingTime(Calendar),
            SlaTimerPoint.Warning => policy.WarningThreshold(resolution),
            _ => resolution,
        };
        return Calendar.AddWorkingTime(from, workingTime.ToTimeSpan());
    }

    private static readonly Dictionary<string, Value> EmptyVariables = [];

    /// <summary>Whether <paramref name="slaPolicy"/> names a timer policy.</summary>
    public bool Knows(string slaPolicy) => Policies.TryGetTimer(slaPolicy, out _);
}

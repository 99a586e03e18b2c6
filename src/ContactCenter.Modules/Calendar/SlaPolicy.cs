using System.Globalization;
using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>The unit of an <see cref="SlaTarget"/>.</summary>
public enum SlaUnit
{
    WorkingDays,
    WorkingHours,
}

/// <summary>An amount of working time: "10 working days", "4 working hours". Fractions are allowed (7.5 working days).</summary>
public readonly record struct SlaTarget
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public SlaTarget(decimal amount, SlaUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Amount = amount;
        Unit = unit;
    }

    public decimal Amount { get; }

    public SlaUnit Unit { get; }

    public static SlaTarget WorkingDays(decimal amount) => new(amount, SlaUnit.WorkingDays);

    public static SlaTarget WorkingHours(decimal amount) => new(amount, SlaUnit.WorkingHours);

    /// <summary>The working time this target stands for on <paramref name="calendar"/> (a working day is its <see cref="WorkingCalendar.WorkdayLength"/>).</summary>
    public Duration ToWorkingTime(WorkingCalendar calendar)
    {
        var unitTicks = Unit == SlaUnit.WorkingDays ? calendar.WorkdayLength.BclCompatibleTicks : TimeSpan.TicksPerHour;
        return Duration.FromTicks((long)decimal.Round(Amount * unitTicks));
    }

    public override string ToString() =>
        $"{Amount.ToString(CultureInfo.InvariantCulture)} working {(Unit == SlaUnit.WorkingDays ? "days" : "hours")}";
}

/// <summary>
/// The SLA of tickets of one category and priority. <see cref="Category"/> and
/// <see cref="Priority"/> are matched without regard to case; "*" matches any.
/// </summary>
/// <param name="Name">The policy's key, used by timer policies.</param>
/// <param name="FirstResponse">Working time until the first response is due.</param>
/// <param name="Resolution">Working time until resolution is due (OJK: 10 working days).</param>
/// <param name="Extension">Working time a single extension adds (OJK: 10 working days); null when the policy cannot be extended.</param>
/// <param name="WarningShare">Share of the resolution target at which the ticket is at risk, in (0, 1).</param>
public sealed record SlaPolicy(string Name, string Category, string Priority, SlaTarget FirstResponse, SlaTarget Resolution, SlaTarget? Extension, decimal WarningShare)
{
    /// <summary>The wildcard for <see cref="Category"/> and <see cref="Priority"/>.</summary>
    public const string Any = "*";

    /// <summary>Default first response: 1 working day (assumption: the SOP and OJK give none).</summary>
    public static SlaTarget DefaultFirstResponse { get; } = SlaTarget.WorkingDays(1);

    /// <summary>Default resolution: 10 working days (OJK POJK 22/2023).</summary>
    public static SlaTarget DefaultResolution { get; } = SlaTarget.WorkingDays(10);

    /// <summary>Default extension: once, by 10 working days (OJK POJK 22/2023).</summary>
    public static SlaTarget DefaultExtension { get; } = SlaTarget.WorkingDays(10);

    /// <summary>Default warning share: 0.75 (assumption).</summary>
    public const decimal DefaultWarningShare = 0.75m;

    /// <summary>The policy with every default, for any category and priority.</summary>
    public static SlaPolicy Default(string name = "default") =>
        new(name, Any, Any, DefaultFirstResponse, DefaultResolution, DefaultExtension, DefaultWarningShare);

    /// <summary>The working time at which the ticket becomes at risk: <see cref="WarningShare"/> of <paramref name="target"/>.</summary>
    public Duration WarningThreshold(Duration target) => Duration.FromTicks((long)decimal.Round(target.BclCompatibleTicks * WarningShare));
}

/// <summary>Which point of a policy an engine timer stands for.</summary>
public enum SlaTimerPoint
{
    FirstResponse,
    Warning,
    Breach,
}

/// <summary>What a BPMN timer's <c>cc:slaPolicy</c> name means: a point of a ticket policy.</summary>
public sealed record SlaTimerPolicy(string Name, string PolicyName, SlaTimerPoint Point)
{
    /// <summary>
    /// The <see cref="PolicyName"/> that means "the policy of the ticket": the one
    /// <see cref="SlaPolicySet.Find"/> picks for the instance's <c>kategori</c> and <c>prioritas</c>.
    /// </summary>
    public const string ByTicket = "byTicket";

    public bool IsByTicket => PolicyName == ByTicket;
}

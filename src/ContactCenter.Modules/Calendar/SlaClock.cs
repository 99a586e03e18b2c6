using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>Where a ticket stands against its resolution target.</summary>
public enum SlaStatus
{
    /// <summary>Less than the warning share of the target has been used.</summary>
    OnTrack,

    /// <summary>The warning share has been used, the target not yet.</summary>
    AtRisk,

    /// <summary>The whole target has been used.</summary>
    Breached,
}

/// <summary>Why an extension was refused.</summary>
public enum SlaExtensionRefusal
{
    /// <summary>The clock was extended before: OJK allows one extension.</summary>
    AlreadyExtended,

    /// <summary>The policy has no extension.</summary>
    NotExtendable,

    /// <summary>No reason was given; the extension must be justified to the customer.</summary>
    ReasonMissing,

    /// <summary>The extension is dated before the clock started.</summary>
    BeforeStart,

    /// <summary>The resolution target had already lapsed: an extension cannot undo a breach (assumption).</summary>
    TargetLapsed,
}

/// <summary>An interval while the ticket waits on the customer; its working time does not count. <see cref="To"/> is null while it lasts.</summary>
public sealed record SlaPause(DateTimeOffset From, DateTimeOffset? To);

/// <summary>The one extension of a clock: when, why, and by how much.</summary>
public sealed record SlaExtension(DateTimeOffset GrantedAt, string Reason, SlaTarget By);

/// <summary>An extension was refused; <see cref="Refusal"/> says why.</summary>
public sealed class SlaExtensionRefusedException : InvalidOperationException
{
    public SlaExtensionRefusedException()
    {
    }

    public SlaExtensionRefusedException(string message)
        : base(message)
    {
    }

    public SlaExtensionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SlaExtensionRefusedException(SlaExtensionRefusal refusal, string message)
        : base(message)
    {
        Refusal = refusal;
    }

    public SlaExtensionRefusal Refusal { get; }
}

/// <summary>
/// A ticket's SLA clock at one instant. Durations are working time; due instants are in the
/// offset of the instant asked about. A due is null when it cannot be known yet because the clock
/// is paused before reaching it.
/// </summary>
/// <param name="Elapsed">Working time counted so far (pauses excluded).</param>
/// <param name="Target">The resolution target, the extension included.</param>
/// <param name="Remaining">Target less elapsed; negative once breached (by how much it is overdue).</param>
public sealed record SlaSnapshot(
    DateTimeOffset At,
    SlaStatus Status,
    TimeSpan Elapsed,
    TimeSpan Target,
    TimeSpan Remaining,
    DateTimeOffset? FirstResponseDue,
    DateTimeOffset? WarningDue,
    DateTimeOffset? BreachDue,
    bool IsPaused,
    bool IsExtended);

/// <summary>A clock's first-response, warning and breach dues (see <see cref="SlaSnapshot"/>); null where an open pause comes first.</summary>
public sealed record SlaDues(DateTimeOffset? FirstResponse, DateTimeOffset? Warning, DateTimeOffset? Breach)
{
    /// <summary>The dues of <paramref name="snapshot"/>, in UTC.</summary>
    public static SlaDues Of(SlaSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(snapshot.FirstResponseDue?.ToUniversalTime(), snapshot.WarningDue?.ToUniversalTime(), snapshot.BreachDue?.ToUniversalTime());
    }
}

/// <summary>
/// The SLA clock of one ticket as a value: start, policy, pauses and the (single) extension.
/// <see cref="Pause"/>, <see cref="Resume"/> and <see cref="Extend"/> return a new clock (the
/// runtime journals the change); <see cref="Evaluate"/> computes dues and status on a working
/// calendar. Pure: no clock is read, every instant is an argument.
/// </summary>
/// <remarks>
/// Evaluating at an instant ignores what happened after it: a pause that starts later is not
/// there yet, and one that ends later is still open. Dues assume no further pause.
/// The warning share applies to the whole target, so an extension moves the warning too.
/// </remarks>
public sealed record SlaClock
{
    private readonly SlaPause[] _pauses;

    public SlaClock(DateTimeOffset start, SlaPolicy policy)
        : this(start, policy, [], null)
    {
    }

    private SlaClock(DateTimeOffset start, SlaPolicy policy, SlaPause[] pauses, SlaExtension? extension)
    {
        Start = start;
        Policy = policy;
        _pauses = pauses;
        Extension = extension;
    }

    public DateTimeOffset Start { get; }

    public SlaPolicy Policy { get; }

    /// <summary>Pauses in order; they do not overlap and only the last may still be open.</summary>
    public IReadOnlyList<SlaPause> Pauses => _pauses;

    public SlaExtension? Extension { get; }

    public bool IsExtended => Extension is not null;

    /// <summary>Whether the last pause is still open.</summary>
    public bool IsPaused => _pauses.Length > 0 && _pauses[^1].To is null;

    /// <summary>Rebuilds a clock from journaled facts, checking them.</summary>
    /// <exception cref="ArgumentException">A pause starts before the clock, ends before it starts, overlaps the previous one, or is open but not the last.</exception>
    public static SlaClock Restore(DateTimeOffset start, SlaPolicy policy, IEnumerable<SlaPause> pauses, SlaExtension? extension)
    {
        var list = pauses.ToArray();
        for (var i = 0; i < list.Length; i++)
        {
            var pause = list[i];
            var earliest = i == 0 ? start : list[i - 1].To ?? throw new ArgumentException($"pause {i - 1} is open but not the last", nameof(pauses));
            if (pause.From < earliest)
            {
                throw new ArgumentException($"pause {i} starts at {pause.From:O}, before {(i == 0 ? "the clock's start" : "the previous pause ends")} ({earliest:O})", nameof(pauses));
            }

            if (pause.To is { } to && to < pause.From)
            {
                throw new ArgumentException($"pause {i} ends at {to:O}, before it starts ({pause.From:O})", nameof(pauses));
            }
        }

        if (extension is not null && string.IsNullOrWhiteSpace(extension.Reason))
        {
            throw new ArgumentException("an extension needs a reason", nameof(extension));
        }

        return new SlaClock(start, policy, list, extension);
    }

    /// <summary>The clock stops counting at <paramref name="at"/> (the ticket waits on the customer).</summary>
    /// <exception cref="InvalidOperationException">Already paused, or <paramref name="at"/> is before the start or the last resume.</exception>
    public SlaClock Pause(DateTimeOffset at)
    {
        if (IsPaused)
        {
            throw new InvalidOperationException($"the clock is already paused since {_pauses[^1].From:O}");
        }

        var earliest = _pauses.Length > 0 ? _pauses[^1].To!.Value : Start;
        if (at < earliest)
        {
            throw new InvalidOperationException($"cannot pause at {at:O}, before {earliest:O}");
        }

        return new SlaClock(Start, Policy, [.. _pauses, new SlaPause(at, null)], Extension);
    }

    /// <summary>The clock counts again from <paramref name="at"/>.</summary>
    /// <exception cref="InvalidOperationException">Not paused, or <paramref name="at"/> is before the pause began.</exception>
    public SlaClock Resume(DateTimeOffset at)
    {
        if (!IsPaused)
        {
            throw new InvalidOperationException("the clock is not paused");
        }

        var open = _pauses[^1];
        if (at < open.From)
        {
            throw new InvalidOperationException($"cannot resume at {at:O}, before the pause began at {open.From:O}");
        }

        SlaPause[] pauses = [.. _pauses[..^1], open with { To = at }];
        return new SlaClock(Start, Policy, pauses, Extension);
    }

    /// <summary>Why extending at <paramref name="at"/> would be refused, or null when it is allowed.</summary>
    public SlaExtensionRefusal? CheckExtension(WorkingCalendar calendar, DateTimeOffset at, string? reason)
    {
        if (IsExtended)
        {
            return SlaExtensionRefusal.AlreadyExtended;
        }

        if (Policy.Extension is null)
        {
            return SlaExtensionRefusal.NotExtendable;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return SlaExtensionRefusal.ReasonMissing;
        }

        if (at < Start)
        {
            return SlaExtensionRefusal.BeforeStart;
        }

        return Evaluate(calendar, at).Status == SlaStatus.Breached ? SlaExtensionRefusal.TargetLapsed : null;
    }

    /// <summary>Extends the resolution target once by the policy's extension (OJK POJK 22/2023: once, by 10 working days).</summary>
    /// <exception cref="SlaExtensionRefusedException">Refused; see <see cref="CheckExtension"/>.</exception>
    public SlaClock Extend(WorkingCalendar calendar, DateTimeOffset at, string reason)
    {
        if (CheckExtension(calendar, at, reason) is { } refusal)
        {
            var why = refusal switch
            {
                SlaExtensionRefusal.AlreadyExtended => $"already extended at {Extension!.GrantedAt:O} ({Extension.Reason}); only one extension is allowed",
                SlaExtensionRefusal.NotExtendable => $"policy '{Policy.Name}' cannot be extended",
                SlaExtensionRefusal.ReasonMissing => "an extension needs a reason",
                SlaExtensionRefusal.BeforeStart => $"{at:O} is before the clock started ({Start:O})",
                _ => $"the resolution target had lapsed by {at:O}",
            };
            throw new SlaExtensionRefusedException(refusal, $"SLA extension refused: {why}");
        }

        return new SlaClock(Start, Policy, _pauses, new SlaExtension(at, reason, Policy.Extension!.Value));
    }

    /// <summary>The resolution target in working time, the extension included.</summary>
    public Duration ResolutionTarget(WorkingCalendar calendar) =>
        Policy.Resolution.ToWorkingTime(calendar) + (Extension?.By.ToWorkingTime(calendar) ?? Duration.Zero);

    /// <summary>Dues, counted time and status as they stand at <paramref name="at"/>.</summary>
    public SlaSnapshot Evaluate(WorkingCalendar calendar, DateTimeOffset at) => Evaluate(calendar, at, null);

    /// <summary>
    /// As <see cref="Evaluate(WorkingCalendar, DateTimeOffset)"/>, with the dues taken from
    /// <paramref name="dues"/> (a snapshot of this clock at an instant no pause starts after)
    /// instead of walking the calendar for each: dues assume no further pause, so they are the
    /// same at every later instant. Only the counted time is walked.
    /// </summary>
    public SlaSnapshot Evaluate(WorkingCalendar calendar, DateTimeOffset at, SlaDues? dues)
    {
        var now = Instant.FromDateTimeOffset(at);
        var start = Instant.FromDateTimeOffset(Start);
        var pauses = PausesAsOf(now, start);
        var target = ResolutionTarget(calendar);
        var warning = Policy.WarningThreshold(target);

        var elapsed = Duration.Zero;
        if (now > start)
        {
            elapsed = calendar.WorkingTimeBetween(start, now);
            foreach (var (from, to, _) in pauses)
            {
                elapsed -= calendar.WorkingTimeBetween(from, to);
            }
        }

        var status = elapsed >= target ? SlaStatus.Breached : elapsed >= warning ? SlaStatus.AtRisk : SlaStatus.OnTrack;
        DateTimeOffset? Due(Duration threshold) => DueAt(calendar, start, pauses, threshold)?.ToDateTimeOffset().ToOffset(at.Offset);
        return new SlaSnapshot(
            at,
            status,
            elapsed.ToTimeSpan(),
            target.ToTimeSpan(),
            (target - elapsed).ToTimeSpan(),
            dues is null ? Due(Policy.FirstResponse.ToWorkingTime(calendar)) : dues.FirstResponse?.ToOffset(at.Offset),
            dues is null ? Due(warning) : dues.Warning?.ToOffset(at.Offset),
            dues is null ? Due(target) : dues.Breach?.ToOffset(at.Offset),
            pauses.Count > 0 && pauses[^1].Open,
            IsExtended);
    }

    public bool Equals(SlaClock? other) =>
        other is not null && Start == other.Start && Policy == other.Policy && Extension == other.Extension && _pauses.SequenceEqual(other._pauses);

    public override int GetHashCode() => HashCode.Combine(Start, Policy, Extension, _pauses.Length);

    /// <summary>The earliest instant at which <paramref name="threshold"/> of unpaused working time has passed; null when an open pause comes first.</summary>
    private static Instant? DueAt(WorkingCalendar calendar, Instant start, List<(Instant From, Instant To, bool Open)> pauses, Duration threshold)
    {
        var cursor = start;
        var left = threshold;
        foreach (var (from, to, open) in pauses)
        {
            var available = calendar.WorkingTimeBetween(cursor, from);
            if (left <= available)
            {
                return calendar.AddWorkingTime(cursor, left);
            }

            left -= available;
            if (open)
            {
                return null;
            }

            cursor = to;
        }

        return calendar.AddWorkingTime(cursor, left);
    }

    /// <summary>The pauses as seen at <paramref name="now"/>: later ones dropped, one still running at <paramref name="now"/> cut there and marked open.</summary>
    private List<(Instant From, Instant To, bool Open)> PausesAsOf(Instant now, Instant start)
    {
        var result = new List<(Instant, Instant, bool)>();
        foreach (var pause in _pauses)
        {
            var from = Instant.FromDateTimeOffset(pause.From);
            if (from > now)
            {
                break;
            }

            from = from < start ? start : from;
            var to = pause.To is { } end ? Instant.FromDateTimeOffset(end) : (Instant?)null;
            var open = to is null || to > now;
            result.Add((from, open ? now : to!.Value, open));
        }

        return result;
    }
}

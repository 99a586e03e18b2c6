using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>How <see cref="WorkingCalendar"/> sees a local date.</summary>
public enum DayKind
{
    WorkingDay,
    Weekend,
    NationalHoliday,
    CutiBersama,
}

/// <summary>
/// Working days and working hours in one time zone: weekends, national holidays and cuti bersama
/// are days off; on a working day only [<see cref="WorkingCalendarOptions.WorkdayStart"/>,
/// <see cref="WorkingCalendarOptions.WorkdayEnd"/>) counts. Immutable and pure: every instant comes in
/// as an argument.
/// </summary>
/// <remarks>
/// Adding working time returns the <em>earliest</em> instant at which that much working time has
/// passed: one working day from Monday 08:00 is Monday 17:00, not Tuesday 08:00 (the same point in
/// working time). A start outside working hours counts from the next working start. Overloads on
/// <see cref="DateTimeOffset"/> return results in the offset of their argument.
/// </remarks>
public sealed class WorkingCalendar
{
    /// <exception cref="ArgumentException">The time zone is unknown, the working hours are empty or inverted, or there is no working day in the week.</exception>
    public WorkingCalendar(HolidayCalendar holidays, WorkingCalendarOptions? options = null)
    {
        Holidays = holidays;
        Options = options ?? new WorkingCalendarOptions();
        Zone = ResolveZone(Options.TimeZoneId);
        if (Options.WorkdayEnd <= Options.WorkdayStart)
        {
            throw new ArgumentException($"working hours {Options.WorkdayStart:HH':'mm}–{Options.WorkdayEnd:HH':'mm} are empty: the end must be after the start on the same day", nameof(options));
        }

        if (Options.WorkingDays.Count == 0)
        {
            throw new ArgumentException("a calendar needs at least one working day in the week", nameof(options));
        }

        WorkdayLength = Period.Between(Options.WorkdayStart, Options.WorkdayEnd, PeriodUnits.Ticks).ToDuration();
    }

    public HolidayCalendar Holidays { get; }

    public WorkingCalendarOptions Options { get; }

    public DateTimeZone Zone { get; }

    /// <summary>Working time in one working day (9 hours by default).</summary>
    public Duration WorkdayLength { get; }

    /// <summary>The zone of an IANA id, with an error that says what is wrong.</summary>
    /// <exception cref="ArgumentException">Unknown id.</exception>
    public static DateTimeZone ResolveZone(string timeZoneId) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId)
            ?? throw new ArgumentException($"'{timeZoneId}' is not an IANA time zone id (e.g. Asia/Jakarta)", nameof(timeZoneId));

    public DayKind Classify(LocalDate date)
    {
        var holiday = Holidays.Find(date);
        if (holiday is not null && (holiday.Kind == HolidayKind.NationalHoliday || Options.CutiBersamaIsDayOff))
        {
            return holiday.Kind == HolidayKind.NationalHoliday ? DayKind.NationalHoliday : DayKind.CutiBersama;
        }

        return Options.WorkingDays.Contains(date.DayOfWeek) ? DayKind.WorkingDay : DayKind.Weekend;
    }

    public bool IsWorkingDay(LocalDate date) => Classify(date) == DayKind.WorkingDay;

    /// <summary>Whether <paramref name="instant"/> falls within the working hours of a working day.</summary>
    public bool IsWorkingTime(Instant instant)
    {
        var local = instant.InZone(Zone).Date;
        var (start, end) = Window(local);
        return IsWorkingDay(local) && instant >= start && instant < end;
    }

    public bool IsWorkingTime(DateTimeOffset at) => IsWorkingTime(Instant.FromDateTimeOffset(at));

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="date"/> (before it when negative); 0 gives the date itself.</summary>
    public LocalDate AddWorkingDays(LocalDate date, int days)
    {
        var step = days < 0 ? -1 : 1;
        for (var left = Math.Abs(days); left > 0;)
        {
            date = date.PlusDays(step);
            if (IsWorkingDay(date))
            {
                left--;
            }
        }

        return date;
    }

    /// <summary><paramref name="days"/> whole working days of working time after <paramref name="from"/> (see the remarks on the type).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative.</exception>
    public Instant AddWorkingDays(Instant from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return AddWorkingTime(from, WorkdayLength * days);
    }

    public DateTimeOffset AddWorkingDays(DateTimeOffset from, int days) =>
        AddWorkingDays(Instant.FromDateTimeOffset(from), days).ToDateTimeOffset().ToOffset(from.Offset);

    /// <summary>The earliest instant at which <paramref name="workingTime"/> of working time has passed since <paramref name="from"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingTime"/> is negative.</exception>
    public Instant AddWorkingTime(Instant from, Duration workingTime)
    {
        if (workingTime < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(workingTime), workingTime, "working time to add must not be negative");
        }

        if (workingTime == Duration.Zero)
        {
            return from;
        }

        var left = workingTime;
        for (var date = from.InZone(Zone).Date; ; date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var (start, end) = Window(date);
            var begin = Max(start, from);
            if (begin >= end)
            {
                continue;
            }

            var available = end - begin;
            if (left <= available)
            {
                return begin + left;
            }

            left -= available;
        }
    }

    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan workingTime) =>
        AddWorkingTime(Instant.FromDateTimeOffset(from), Duration.FromTimeSpan(workingTime)).ToDateTimeOffset().ToOffset(from.Offset);

    /// <summary>Working time within [<paramref name="start"/>, <paramref name="end"/>); negative when <paramref name="end"/> is earlier.</summary>
    public Duration WorkingTimeBetween(Instant start, Instant end)
    {
        if (end < start)
        {
            return -WorkingTimeBetween(end, start);
        }

        var total = Duration.Zero;
        var last = end.InZone(Zone).Date;
        for (var date = start.InZone(Zone).Date; date <= last; date = date.PlusDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var (windowStart, windowEnd) = Window(date);
            var from = Max(windowStart, start);
            var to = Min(windowEnd, end);
            if (to > from)
            {
                total += to - from;
            }
        }

        return total;
    }

    public TimeSpan WorkingTimeBetween(DateTimeOffset start, DateTimeOffset end) =>
        WorkingTimeBetween(Instant.FromDateTimeOffset(start), Instant.FromDateTimeOffset(end)).ToTimeSpan();

    /// <summary>The working hours of <paramref name="date"/> as instants (whether or not it is a working day).</summary>
    /// <remarks>A local time skipped by a daylight-saving change maps to the instant just after the gap.</remarks>
    public (Instant Start, Instant End) Window(LocalDate date) =>
        _windows.GetOrAdd(date, static (d, c) => (c.Zone.AtLeniently(d + c.Options.WorkdayStart).ToInstant(), c.Zone.AtLeniently(d + c.Options.WorkdayEnd).ToInstant()), this);

    // The calendar is immutable, so a date's window never changes: walking a ticket's SLA over
    // weeks (every queue read) looks each day up once instead of mapping two local times.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<LocalDate, (Instant Start, Instant End)> _windows = new();

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;
}

using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Calendar;
using NodaTime;

namespace ContactCenter.Modules.Greetings;

/// <summary>Which closing greeting applies.</summary>
public enum ClosingGreetingKind
{
    /// <summary>"Selamat beraktifitas": a working day, daytime.</summary>
    Beraktifitas,

    /// <summary>"Selamat beristirahat": a working day, night.</summary>
    Beristirahat,

    /// <summary>"Selamat berakhir pekan": a weekend day or a day of a long weekend.</summary>
    BerakhirPekan,

    /// <summary>"Selamat berlibur": a national holiday (or cuti bersama) on a working day, outside a long weekend.</summary>
    Berlibur,
}

/// <summary>Which opening greeting applies (bands are assumptions, see <see cref="GreetingOptions"/>).</summary>
public enum OpeningGreetingKind
{
    Pagi,
    Siang,
    Sore,
    Malam,
}

/// <summary>The greeting variables the flows' scripts use: <c>{salamPembuka}</c> and <c>{salamPenutup}</c>.</summary>
public sealed record GreetingVariables(string SalamPembuka, string SalamPenutup)
{
    /// <summary>The placeholder of the opening greeting task ("Mengucapkan salam pembuka").</summary>
    public const string SalamPembukaName = "salamPembuka";

    /// <summary>The placeholder of the closing greeting task.</summary>
    public const string SalamPenutupName = "salamPenutup";

    /// <summary>As instance variables, e.g. for <c>StartInstance</c>.</summary>
    public IReadOnlyDictionary<string, Value> ToVariables() => new Dictionary<string, Value>(StringComparer.Ordinal)
    {
        [SalamPembukaName] = SalamPembuka,
        [SalamPenutupName] = SalamPenutup,
    };
}

/// <summary>
/// The opening and closing greetings at an instant, on the site's wall clock. Pure: the instant
/// is an argument; only <see cref="Variables(TimeProvider)"/> reads a clock, at the edge.
/// </summary>
/// <remarks>
/// Closing rules, first match wins, for the whole local day: a weekend day or a day of a long
/// weekend → "Selamat berakhir pekan"; a national holiday or cuti bersama → "Selamat berlibur";
/// otherwise [<see cref="GreetingOptions.ActiveFrom"/>, <see cref="GreetingOptions.RestFrom"/>) →
/// "Selamat beraktifitas", else "Selamat beristirahat". A long weekend is a run of at least
/// <see cref="GreetingOptions.LongWeekendMinDays"/> consecutive days off that contains a weekend day.
/// </remarks>
public sealed class Greeter
{
    /// <summary>A run of days off longer than this is a configuration error, not a long weekend.</summary>
    private const int MaxRunSearch = 400;

    /// <exception cref="ArgumentException">Unknown time zone, bands out of order, a week with no working day, or a long weekend shorter than 1 day.</exception>
    public Greeter(HolidayCalendar holidays, GreetingOptions? options = null)
    {
        Holidays = holidays;
        Options = options ?? new GreetingOptions();
        Zone = WorkingCalendar.ResolveZone(Options.TimeZoneId);
        if (Options.RestFrom <= Options.ActiveFrom)
        {
            throw new ArgumentException($"RestFrom {Options.RestFrom:HH':'mm} must be after ActiveFrom {Options.ActiveFrom:HH':'mm}", nameof(options));
        }

        if (!(Options.MorningFrom < Options.MiddayFrom && Options.MiddayFrom < Options.AfternoonFrom && Options.AfternoonFrom < Options.EveningFrom))
        {
            throw new ArgumentException("opening bands must ascend: MorningFrom < MiddayFrom < AfternoonFrom < EveningFrom", nameof(options));
        }

        if (Options.WeekendDays.Count >= 7)
        {
            throw new ArgumentException("a week of only weekend days has no working day", nameof(options));
        }

        if (Options.LongWeekendMinDays < 1)
        {
            throw new ArgumentException($"LongWeekendMinDays {Options.LongWeekendMinDays} must be at least 1", nameof(options));
        }
    }

    public HolidayCalendar Holidays { get; }

    public GreetingOptions Options { get; }

    public DateTimeZone Zone { get; }

    public ClosingGreetingKind ClosingKind(DateTimeOffset at)
    {
        var local = Instant.FromDateTimeOffset(at).InZone(Zone).LocalDateTime;
        if (Options.WeekendDays.Contains(local.DayOfWeek) || IsLongWeekend(local.Date))
        {
            return ClosingGreetingKind.BerakhirPekan;
        }

        if (IsHoliday(local.Date))
        {
            return ClosingGreetingKind.Berlibur;
        }

        return local.TimeOfDay >= Options.ActiveFrom && local.TimeOfDay < Options.RestFrom
            ? ClosingGreetingKind.Beraktifitas
            : ClosingGreetingKind.Beristirahat;
    }

    /// <summary>The closing greeting (<c>{salamPenutup}</c>) at <paramref name="at"/>.</summary>
    public string Closing(DateTimeOffset at) => ClosingKind(at) switch
    {
        ClosingGreetingKind.Beraktifitas => Options.Beraktifitas,
        ClosingGreetingKind.Beristirahat => Options.Beristirahat,
        ClosingGreetingKind.BerakhirPekan => Options.BerakhirPekan,
        _ => Options.Berlibur,
    };

    public OpeningGreetingKind OpeningKind(DateTimeOffset at)
    {
        var time = Instant.FromDateTimeOffset(at).InZone(Zone).TimeOfDay;
        return time < Options.MorningFrom || time >= Options.EveningFrom ? OpeningGreetingKind.Malam
            : time < Options.MiddayFrom ? OpeningGreetingKind.Pagi
            : time < Options.AfternoonFrom ? OpeningGreetingKind.Siang
            : OpeningGreetingKind.Sore;
    }

    /// <summary>The opening greeting (<c>{salamPembuka}</c>) at <paramref name="at"/>.</summary>
    public string Opening(DateTimeOffset at) => OpeningKind(at) switch
    {
        OpeningGreetingKind.Pagi => Options.Pagi,
        OpeningGreetingKind.Siang => Options.Siang,
        OpeningGreetingKind.Sore => Options.Sore,
        _ => Options.Malam,
    };

    /// <summary>Both greeting variables at <paramref name="at"/>.</summary>
    public GreetingVariables Variables(DateTimeOffset at) => new(Opening(at), Closing(at));

    /// <summary>Both greeting variables now, by <paramref name="time"/>: the one place a clock is read.</summary>
    public GreetingVariables Variables(TimeProvider time) => Variables(time.GetUtcNow());

    /// <summary>Whether <paramref name="date"/> is a weekend day, a national holiday or (by default) cuti bersama.</summary>
    public bool IsDayOff(LocalDate date) => Options.WeekendDays.Contains(date.DayOfWeek) || IsHoliday(date);

    /// <summary>The run of consecutive days off around <paramref name="date"/>, or null when it is not a day off.</summary>
    public (LocalDate First, LocalDate Last)? DayOffRun(LocalDate date)
    {
        if (!IsDayOff(date))
        {
            return null;
        }

        var first = date;
        for (var i = 0; i < MaxRunSearch && IsDayOff(first.PlusDays(-1)); i++)
        {
            first = first.PlusDays(-1);
        }

        var last = date;
        for (var i = 0; i < MaxRunSearch && IsDayOff(last.PlusDays(1)); i++)
        {
            last = last.PlusDays(1);
        }

        return (first, last);
    }

    /// <summary>Whether <paramref name="date"/> is in a run of at least <see cref="GreetingOptions.LongWeekendMinDays"/> days off that contains a weekend day.</summary>
    public bool IsLongWeekend(LocalDate date)
    {
        if (DayOffRun(date) is not var (first, last))
        {
            return false;
        }

        var length = Period.Between(first, last, PeriodUnits.Days).Days + 1;
        if (length < Options.LongWeekendMinDays)
        {
            return false;
        }

        for (var day = first; day <= last; day = day.PlusDays(1))
        {
            if (Options.WeekendDays.Contains(day.DayOfWeek))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsHoliday(LocalDate date) =>
        Holidays.Find(date) is { } entry && (entry.Kind == HolidayKind.NationalHoliday || Options.CutiBersamaIsDayOff);
}

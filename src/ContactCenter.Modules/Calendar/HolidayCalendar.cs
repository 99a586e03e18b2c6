using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>What a day off in the calendar data is.</summary>
public enum HolidayKind
{
    /// <summary>Hari libur nasional (national holiday).</summary>
    NationalHoliday,

    /// <summary>Cuti bersama (collective leave decreed alongside the national holidays).</summary>
    CutiBersama,
}

/// <summary>One day off from the calendar data. <see cref="Name"/> is a label for people, never a key.</summary>
public sealed record HolidayEntry(LocalDate Date, HolidayKind Kind, string Name);

/// <summary>The days off of one year, as one calendar file gives them.</summary>
public sealed record HolidayYear(int Year, string? Source, IReadOnlyList<HolidayEntry> Entries);

/// <summary>
/// National holidays and cuti bersama by local date, for the years whose data was loaded.
/// Weekends and working hours are not its business (see <see cref="WorkingCalendar"/>).
/// </summary>
/// <remarks>
/// A year without data has no holidays here: arithmetic that runs into it counts only weekends,
/// so a deadline can only come out earlier than it should, never later. Check
/// <see cref="Covers"/> (e.g. at start-up, for this year and the next) to catch a missing file.
/// <para>
/// Each answer comes from one immutable set of years. A calendar made with <see cref="Maintained"/>
/// can be given a new set (an administrator added next year): <see cref="Replace"/> swaps it in
/// whole, so every holder of this object (working calendar, greeter, deadline calculator) sees the
/// new years at once and no reader ever sees half of a change.
/// </para>
/// </remarks>
public sealed class HolidayCalendar
{
    private readonly bool _replaceable;
    private Years _current;

    /// <exception cref="ArgumentException">Two entries share a date, or a year is given twice.</exception>
    public HolidayCalendar(IEnumerable<HolidayYear> years)
        : this(years, replaceable: false)
    {
    }

    private HolidayCalendar(IEnumerable<HolidayYear> years, bool replaceable)
    {
        _current = Years.Of(years);
        _replaceable = replaceable;
    }

    /// <summary>No holidays at all: only weekends are days off.</summary>
    public static HolidayCalendar Empty { get; } = new([]);

    /// <summary>A calendar whose years can later be replaced with <see cref="Replace"/>.</summary>
    /// <exception cref="ArgumentException">As the constructor.</exception>
    public static HolidayCalendar Maintained(IEnumerable<HolidayYear> years) => new(years, replaceable: true);

    /// <summary>Every entry, by date.</summary>
    public IReadOnlyList<HolidayEntry> Entries => Volatile.Read(ref _current).Entries;

    /// <summary>The years whose data was loaded, ascending.</summary>
    public IReadOnlyCollection<int> CoveredYears => Volatile.Read(ref _current).Covered;

    /// <summary>Whether data for <paramref name="year"/> was loaded.</summary>
    public bool Covers(int year) => Volatile.Read(ref _current).Covered.Contains(year);

    /// <summary>The holiday or cuti bersama on <paramref name="date"/>, or null.</summary>
    public HolidayEntry? Find(LocalDate date) => Volatile.Read(ref _current).ByDate.GetValueOrDefault(date);

    /// <summary>Swaps in a new set of years, checked as the constructor checks them; nothing changes when they are bad.</summary>
    /// <exception cref="InvalidOperationException">The calendar was not made with <see cref="Maintained"/>.</exception>
    /// <exception cref="ArgumentException">As the constructor.</exception>
    public void Replace(IEnumerable<HolidayYear> years)
    {
        if (!_replaceable)
        {
            throw new InvalidOperationException("this holiday calendar is fixed; only one made with HolidayCalendar.Maintained can be replaced");
        }

        Volatile.Write(ref _current, Years.Of(years));
    }

    private sealed record Years(Dictionary<LocalDate, HolidayEntry> ByDate, SortedSet<int> Covered, IReadOnlyList<HolidayEntry> Entries)
    {
        public static Years Of(IEnumerable<HolidayYear> years)
        {
            var byDate = new Dictionary<LocalDate, HolidayEntry>();
            var covered = new SortedSet<int>();
            foreach (var year in years)
            {
                if (!covered.Add(year.Year))
                {
                    throw new ArgumentException($"calendar data for {year.Year} is given twice", nameof(years));
                }

                foreach (var entry in year.Entries)
                {
                    if (entry.Date.Year != year.Year)
                    {
                        throw new ArgumentException($"{entry.Date:uuuu-MM-dd} ({entry.Name}) is not in {year.Year}", nameof(years));
                    }

                    if (!byDate.TryAdd(entry.Date, entry))
                    {
                        throw new ArgumentException($"{entry.Date:uuuu-MM-dd} is listed twice ('{byDate[entry.Date].Name}' and '{entry.Name}')", nameof(years));
                    }
                }
            }

            return new Years(byDate, covered, [.. byDate.Values.OrderBy(e => e.Date)]);
        }
    }
}

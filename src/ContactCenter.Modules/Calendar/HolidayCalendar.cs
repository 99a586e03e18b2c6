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
/// Immutable. Weekends and working hours are not its business (see <see cref="WorkingCalendar"/>).
/// </summary>
/// <remarks>
/// A year without data has no holidays here: arithmetic that runs into it counts only weekends,
/// so a deadline can only come out earlier than it should, never later. Check
/// <see cref="Covers"/> (e.g. at start-up, for this year and the next) to catch a missing file.
/// </remarks>
public sealed class HolidayCalendar
{
    private readonly Dictionary<LocalDate, HolidayEntry> _byDate;
    private readonly SortedSet<int> _years;

    /// <exception cref="ArgumentException">Two entries share a date, or a year is given twice.</exception>
    public HolidayCalendar(IEnumerable<HolidayYear> years)
    {
        _byDate = [];
        _years = [];
        foreach (var year in years)
        {
            if (!_years.Add(year.Year))
            {
                throw new ArgumentException($"calendar data for {year.Year} is given twice", nameof(years));
            }

            foreach (var entry in year.Entries)
            {
                if (entry.Date.Year != year.Year)
                {
                    throw new ArgumentException($"{entry.Date:uuuu-MM-dd} ({entry.Name}) is not in {year.Year}", nameof(years));
                }

                if (!_byDate.TryAdd(entry.Date, entry))
                {
                    throw new ArgumentException($"{entry.Date:uuuu-MM-dd} is listed twice ('{_byDate[entry.Date].Name}' and '{entry.Name}')", nameof(years));
                }
            }
        }

        Entries = [.. _byDate.Values.OrderBy(e => e.Date)];
    }

    /// <summary>No holidays at all: only weekends are days off.</summary>
    public static HolidayCalendar Empty { get; } = new([]);

    /// <summary>Every entry, by date.</summary>
    public IReadOnlyList<HolidayEntry> Entries { get; }

    /// <summary>The years whose data was loaded, ascending.</summary>
    public IReadOnlyCollection<int> CoveredYears => _years;

    /// <summary>Whether data for <paramref name="year"/> was loaded.</summary>
    public bool Covers(int year) => _years.Contains(year);

    /// <summary>The holiday or cuti bersama on <paramref name="date"/>, or null.</summary>
    public HolidayEntry? Find(LocalDate date) => _byDate.GetValueOrDefault(date);
}

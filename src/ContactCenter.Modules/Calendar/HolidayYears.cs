using System.Globalization;
using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>A year of holidays an administrator maintains in the product, as the store keeps it.</summary>
/// <param name="Revision">1 for the first save of the year, one more for each change: an edit names the revision it started from.</param>
public sealed record MaintainedHolidayYear(HolidayYear Year, long Revision, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>One change to a maintained year: who, when, what (<see cref="Details"/> lists the dates added, removed and renamed).</summary>
public sealed record HolidayYearChange(long Id, int Year, string Actor, DateTimeOffset At, string Action, string Details);

/// <summary>Where maintained years and their changes are kept (the instance database, so every node sees one calendar).</summary>
public interface IHolidayYearStore
{
    Task<IReadOnlyList<MaintainedHolidayYear>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="year"/> as revision <paramref name="expectedRevision"/> + 1 (0: the year
    /// must not be maintained yet) with its change row, in one transaction; null when the stored
    /// revision is another (someone else changed the year meanwhile), and then nothing is written.
    /// </summary>
    Task<MaintainedHolidayYear?> SaveAsync(HolidayYear year, long expectedRevision, HolidayYearChange change, CancellationToken cancellationToken = default);

    /// <summary>Changes, newest first; of one year when <paramref name="year"/> is given.</summary>
    Task<IReadOnlyList<HolidayYearChange>> ChangesAsync(int? year, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Where a year's holidays come from.</summary>
public enum HolidayYearOrigin
{
    /// <summary>A file in <c>workflows/calendar</c>, shipped with the flows.</summary>
    Bundled,

    /// <summary>Entered or imported by an administrator; it wins over a bundled file of the same year.</summary>
    Maintained,
}

/// <summary>A year as the calendar screen lists it.</summary>
public sealed record HolidayYearSummary(int Year, HolidayYearOrigin Origin, string? Source, int Entries, long Revision, string? ChangedBy, DateTimeOffset? ChangedAt);

/// <summary>What is missing from the calendar on a given day, for start-up logs and <c>/health/ready</c>.</summary>
/// <param name="MissingYears">This year when it has no data; from <see cref="HolidayYears.NextYearWarningFrom"/> on, next year too.</param>
public sealed record HolidayCoverage(LocalDate Today, IReadOnlyList<int> MissingYears)
{
    public bool Complete => MissingYears.Count == 0;

    /// <summary>One sentence for an operator, or null when nothing is missing.</summary>
    public string? Problem => Complete
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"no holidays for {string.Join(" and ", MissingYears)}: SLA deadlines and greetings would count every weekday as a working day; an administrator adds the year on the Kalender screen (PUT /api/calendar/years/{MissingYears[0]})");
}

/// <summary>The outcome of saving a year: the saved year, or why not (a revision conflict).</summary>
public sealed record HolidayYearSaveOutcome(MaintainedHolidayYear? Saved, string? Conflict);

/// <summary>
/// The calendar's years: the bundled files and the years administrators maintain, the maintained
/// one winning for a year both give. Saving a year writes it and its change row to the store and
/// swaps the live <see cref="HolidayCalendar"/> at once; other nodes pick it up at their next
/// <see cref="RefreshAsync"/> (the host calls it periodically). Deadlines already armed keep their
/// due times: a change affects what is computed after it (docs/decisions/0010-maintained-holiday-years.md).
/// </summary>
public sealed class HolidayYears : IDisposable
{
    /// <summary>From this day of December on, a missing next year is reported.</summary>
    public static readonly AnnualDate NextYearWarningFrom = new(12, 1);

    private readonly IReadOnlyDictionary<int, HolidayYear> _bundled;
    private readonly IHolidayYearStore _store;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyList<MaintainedHolidayYear> _maintained = [];

    /// <param name="live">The calendar every part of the host holds; made with <see cref="HolidayCalendar.Maintained"/>.</param>
    /// <param name="bundled">The years of <c>workflows/calendar</c>.</param>
    public HolidayYears(HolidayCalendar live, IEnumerable<HolidayYear> bundled, IHolidayYearStore store, TimeProvider clock)
    {
        Live = live;
        _bundled = bundled.ToDictionary(y => y.Year);
        _store = store;
        _clock = clock;
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The calendar the working calendar, the greeter and the deadlines read.</summary>
    public HolidayCalendar Live { get; }

    /// <summary>Every year with data, ascending.</summary>
    public IReadOnlyList<HolidayYearSummary> Summaries()
    {
        var maintained = Volatile.Read(ref _maintained).ToDictionary(m => m.Year.Year);
        return _bundled.Keys.Union(maintained.Keys).Order()
            .Select(year => maintained.TryGetValue(year, out var m)
                ? new HolidayYearSummary(year, HolidayYearOrigin.Maintained, m.Year.Source, m.Year.Entries.Count, m.Revision, m.ChangedBy, m.ChangedAt)
                : new HolidayYearSummary(year, HolidayYearOrigin.Bundled, _bundled[year].Source, _bundled[year].Entries.Count, 0, null, null))
            .ToList();
    }

    /// <summary>The year's data and its revision (0 for a bundled or missing year), or null when there is none.</summary>
    public (HolidayYear Year, long Revision)? Find(int year)
    {
        var maintained = Volatile.Read(ref _maintained).FirstOrDefault(m => m.Year.Year == year);
        return maintained is not null ? (maintained.Year, maintained.Revision)
            : _bundled.TryGetValue(year, out var bundled) ? (bundled, 0)
            : null;
    }

    /// <summary>Reads the maintained years from the store and swaps the live calendar when they changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var maintained = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var known = Volatile.Read(ref _maintained);
            if (known.Count == maintained.Count && known.Zip(maintained).All(p => p.First.Year.Year == p.Second.Year.Year && p.First.Revision == p.Second.Revision))
            {
                return;
            }

            var byYear = new Dictionary<int, HolidayYear>(_bundled);
            foreach (var m in maintained)
            {
                byYear[m.Year.Year] = m.Year;
            }

            Live.Replace(byYear.Values);
            Volatile.Write(ref _maintained, maintained);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Saves <paramref name="year"/> over revision <paramref name="expectedRevision"/> (what the editor
    /// started from: 0 for a year not maintained yet, a bundled one included), records who and what
    /// changed, and makes it live.
    /// </summary>
    public async Task<HolidayYearSaveOutcome> SaveAsync(HolidayYear year, long expectedRevision, string actor, string action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(year);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        var before = Find(year.Year);
        var change = new HolidayYearChange(0, year.Year, actor, _clock.GetUtcNow(), action, Describe(before?.Year, year));
        var saved = await _store.SaveAsync(year, expectedRevision, change, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            var current = Find(year.Year)?.Revision ?? 0;
            return new HolidayYearSaveOutcome(null, string.Create(CultureInfo.InvariantCulture,
                $"{year.Year} is at revision {current}, not {expectedRevision}: someone changed it meanwhile; reload it and apply your change again"));
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return new HolidayYearSaveOutcome(saved, null);
    }

    /// <summary>The years missing on the host's today in <paramref name="zone"/>.</summary>
    public HolidayCoverage Coverage(DateTimeZone zone) => CoverageOn(Live, Instant.FromDateTimeOffset(_clock.GetUtcNow()).InZone(zone).Date);

    /// <summary>This year when it has no data; from <see cref="NextYearWarningFrom"/>, next year too.</summary>
    public static HolidayCoverage CoverageOn(HolidayCalendar calendar, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var missing = new List<int>();
        if (!calendar.Covers(today.Year))
        {
            missing.Add(today.Year);
        }

        if (today >= NextYearWarningFrom.InYear(today.Year) && !calendar.Covers(today.Year + 1))
        {
            missing.Add(today.Year + 1);
        }

        return new HolidayCoverage(today, missing);
    }

    /// <summary>What changed, date by date, for the change row: "added 2027-01-01 (Tahun Baru); removed ...; renamed ...".</summary>
    public static string Describe(HolidayYear? before, HolidayYear after)
    {
        ArgumentNullException.ThrowIfNull(after);
        static string Day(HolidayEntry e) => string.Create(CultureInfo.InvariantCulture, $"{e.Date:uuuu-MM-dd} ({e.Name}, {(e.Kind == HolidayKind.NationalHoliday ? "nationalHoliday" : "cutiBersama")})");
        var old = (before?.Entries ?? []).ToDictionary(e => e.Date);
        var now = after.Entries.ToDictionary(e => e.Date);
        var parts = new List<string>();
        var added = now.Values.Where(e => !old.ContainsKey(e.Date)).OrderBy(e => e.Date).Select(Day).ToList();
        var removed = old.Values.Where(e => !now.ContainsKey(e.Date)).OrderBy(e => e.Date).Select(Day).ToList();
        var changed = now.Values.Where(e => old.TryGetValue(e.Date, out var o) && o != e).OrderBy(e => e.Date).Select(e => $"{Day(old[e.Date])} → {Day(e)}").ToList();
        if (added.Count > 0)
        {
            parts.Add($"added {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            parts.Add($"removed {string.Join(", ", removed)}");
        }

        if (changed.Count > 0)
        {
            parts.Add($"changed {string.Join(", ", changed)}");
        }

        if (!string.Equals(before?.Source, after.Source, StringComparison.Ordinal))
        {
            parts.Add($"source '{before?.Source}' → '{after.Source}'");
        }

        return parts.Count == 0 ? "no change to the dates" : string.Join("; ", parts);
    }
}

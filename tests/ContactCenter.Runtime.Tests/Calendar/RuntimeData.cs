using ContactCenter.Hosting;
using ContactCenter.Modules.Calendar;

namespace ContactCenter.Runtime.Tests.Calendar;

/// <summary>The real data files under workflows/, loaded once, and WIB instants for readable tests.</summary>
internal static class RuntimeData
{
    private static readonly Lazy<HolidayCalendar> LazyHolidays = new(() => CalendarFiles.LoadHolidays(CalendarFolder));
    private static readonly Lazy<SlaConfiguration> LazySla = new(() => CalendarFiles.LoadSlaConfiguration(SlaPoliciesFile));

    public static readonly TimeSpan WibOffset = TimeSpan.FromHours(7);

    public static string Workflows => RepoPaths.Workflows;

    public static string CalendarFolder => Path.Combine(Workflows, "calendar");

    public static string SlaPoliciesFile => Path.Combine(Workflows, "sla-policies.json");

    public static HolidayCalendar Holidays => LazyHolidays.Value;

    public static SlaConfiguration Sla => LazySla.Value;

    /// <summary>The calendar the SLA file configures, with the real holidays.</summary>
    public static WorkingCalendar Calendar => new(Holidays, Sla.Calendar);

    /// <summary>A wall-clock time in Jakarta (WIB, UTC+7).</summary>
    public static DateTimeOffset Wib(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, WibOffset);
}

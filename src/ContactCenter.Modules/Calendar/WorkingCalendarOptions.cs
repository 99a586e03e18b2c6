using NodaTime;

namespace ContactCenter.Modules.Calendar;

/// <summary>The working week of one calendar (one site). Holidays come from the data files.</summary>
public sealed class WorkingCalendarOptions
{
    /// <summary>IANA time zone of the site. Default is "Asia/Jakarta" (WIB); "Asia/Makassar" is WITA, "Asia/Jayapura" WIT.</summary>
    public string TimeZoneId { get; init; } = "Asia/Jakarta";

    /// <summary>Start of the working hours, inclusive. Default is 08:00.</summary>
    public LocalTime WorkdayStart { get; init; } = new(8, 0);

    /// <summary>End of the working hours, exclusive; after <see cref="WorkdayStart"/> on the same day. Default is 17:00.</summary>
    public LocalTime WorkdayEnd { get; init; } = new(17, 0);

    /// <summary>Days of the week with working hours. Default is Monday to Friday.</summary>
    public IReadOnlySet<IsoDayOfWeek> WorkingDays { get; init; } = new HashSet<IsoDayOfWeek>
    {
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday,
    };

    /// <summary>Whether cuti bersama days are days off like national holidays. Default is true.</summary>
    public bool CutiBersamaIsDayOff { get; init; } = true;
}

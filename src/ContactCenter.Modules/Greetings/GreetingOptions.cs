using NodaTime;

namespace ContactCenter.Modules.Greetings;

/// <summary>
/// The greeting rules of one site. The closing texts are the SOP's (OCC.PGDN.01.01, spelling
/// kept); "Selamat berlibur", the opening texts and every band of the opening greeting are
/// assumptions (docs/calendar-and-sla.md).
/// </summary>
public sealed class GreetingOptions
{
    /// <summary>IANA time zone whose wall clock and date decide the greeting. Default is "Asia/Jakarta" (WIB).</summary>
    public string TimeZoneId { get; init; } = "Asia/Jakarta";

    /// <summary>First minute of "Selamat beraktifitas", inclusive. Default is 06:00 (so 05:59 is still "beristirahat").</summary>
    public LocalTime ActiveFrom { get; init; } = new(6, 0);

    /// <summary>
    /// First minute of "Selamat beristirahat", inclusive. Default is 18:01: the SOP says both
    /// "18.01 – 06.00" and "18.00 – 05.59"; by default 18:00 is still "Selamat beraktifitas".
    /// Set 18:00 for the other reading.
    /// </summary>
    public LocalTime RestFrom { get; init; } = new(18, 1);

    /// <summary>Days of the week that are the weekend ("Selamat berakhir pekan" all day). Default is Saturday and Sunday.</summary>
    public IReadOnlySet<IsoDayOfWeek> WeekendDays { get; init; } = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday };

    /// <summary>
    /// Fewest consecutive days off (weekend days, national holidays, cuti bersama) that make a long
    /// weekend, provided the run contains a weekend day. Default is 3.
    /// </summary>
    public int LongWeekendMinDays { get; init; } = 3;

    /// <summary>Whether cuti bersama is a day off for the greeting, like a national holiday. Default is true.</summary>
    public bool CutiBersamaIsDayOff { get; init; } = true;

    /// <summary>Default is "Selamat beraktifitas" (SOP).</summary>
    public string Beraktifitas { get; init; } = "Selamat beraktifitas";

    /// <summary>Default is "Selamat beristirahat" (SOP).</summary>
    public string Beristirahat { get; init; } = "Selamat beristirahat";

    /// <summary>Default is "Selamat berakhir pekan" (SOP).</summary>
    public string BerakhirPekan { get; init; } = "Selamat berakhir pekan";

    /// <summary>For a national holiday (or cuti bersama) on a working day outside a long weekend. Default is "Selamat berlibur" (assumption: the SOP gives no phrase).</summary>
    public string Berlibur { get; init; } = "Selamat berlibur";

    /// <summary>First minute of "Selamat pagi", inclusive. Default is 04:00 (assumption).</summary>
    public LocalTime MorningFrom { get; init; } = new(4, 0);

    /// <summary>First minute of "Selamat siang", inclusive. Default is 11:00 (assumption).</summary>
    public LocalTime MiddayFrom { get; init; } = new(11, 0);

    /// <summary>First minute of "Selamat sore", inclusive. Default is 15:00 (assumption).</summary>
    public LocalTime AfternoonFrom { get; init; } = new(15, 0);

    /// <summary>First minute of "Selamat malam", inclusive; it lasts until <see cref="MorningFrom"/>. Default is 18:00 (assumption).</summary>
    public LocalTime EveningFrom { get; init; } = new(18, 0);

    /// <summary>Default is "Selamat pagi".</summary>
    public string Pagi { get; init; } = "Selamat pagi";

    /// <summary>Default is "Selamat siang".</summary>
    public string Siang { get; init; } = "Selamat siang";

    /// <summary>Default is "Selamat sore".</summary>
    public string Sore { get; init; } = "Selamat sore";

    /// <summary>Default is "Selamat malam".</summary>
    public string Malam { get; init; } = "Selamat malam";
}

using ContactCenter.Modules.Calendar;
using FluentAssertions;
using NodaTime;
using static ContactCenter.Runtime.Tests.Calendar.RuntimeData;

namespace ContactCenter.Runtime.Tests.Calendar;

public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = RuntimeData.Calendar;

    [Fact]
    public void LoadHolidays_RealData_HasExactlyTheDomainDates()
    {
        string[] national = ["01-01", "01-16", "02-17", "03-19", "03-21", "03-22", "04-03", "04-05", "05-01", "05-14", "05-27", "05-31", "06-01", "06-16", "08-17", "08-25", "12-25"];
        string[] cuti = ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"];

        Holidays.Entries.Where(e => e.Kind == HolidayKind.NationalHoliday).Select(e => e.Date.ToString("MM-dd", null)).Should().Equal(national);
        Holidays.Entries.Where(e => e.Kind == HolidayKind.CutiBersama).Select(e => e.Date.ToString("MM-dd", null)).Should().Equal(cuti);
        Holidays.Entries.Should().OnlyContain(e => e.Date.Year == 2026 && !string.IsNullOrWhiteSpace(e.Name));
        Holidays.CoveredYears.Should().Equal(2026);
        Holidays.Covers(2027).Should().BeFalse();
    }

    [Theory]
    [InlineData(3, 18, DayKind.CutiBersama)]
    [InlineData(3, 19, DayKind.NationalHoliday)]
    [InlineData(3, 21, DayKind.NationalHoliday)]
    [InlineData(3, 25, DayKind.WorkingDay)]
    [InlineData(3, 28, DayKind.Weekend)]
    [InlineData(3, 29, DayKind.Weekend)]
    [InlineData(12, 24, DayKind.CutiBersama)]
    public void Classify_RealData_GivesTheKindOfDay(int month, int day, DayKind expected) =>
        Calendar.Classify(new LocalDate(2026, month, day)).Should().Be(expected);

    [Fact]
    public void Classify_CutiBersamaNotDayOff_IsWorkingDay()
    {
        var calendar = new WorkingCalendar(Holidays, new WorkingCalendarOptions { CutiBersamaIsDayOff = false });

        calendar.Classify(new LocalDate(2026, 3, 18)).Should().Be(DayKind.WorkingDay);
        calendar.Classify(new LocalDate(2026, 3, 19)).Should().Be(DayKind.NationalHoliday);
    }

    [Theory]
    [InlineData(3, 2, 7, 59, false)]
    [InlineData(3, 2, 8, 0, true)]
    [InlineData(3, 2, 16, 59, true)]
    [InlineData(3, 2, 17, 0, false)]
    [InlineData(3, 19, 10, 0, false)]
    [InlineData(3, 18, 10, 0, false)]
    [InlineData(3, 7, 10, 0, false)]
    public void IsWorkingTime_Instant_RespectsHoursWeekendsAndHolidays(int month, int day, int hour, int minute, bool expected) =>
        Calendar.IsWorkingTime(Wib(month, day, hour, minute)).Should().Be(expected);

    [Fact]
    public void IsWorkingTime_UtcInstant_IsJudgedInJakarta() =>
        Calendar.IsWorkingTime(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero)).Should().BeTrue("01:00 UTC is 08:00 WIB");

    [Fact]
    public void AddWorkingDays_DateBeforeNyepiIdulFitriBlock_SkipsTheWholeBlock()
    {
        Calendar.AddWorkingDays(new LocalDate(2026, 3, 17), 1).Should().Be(new LocalDate(2026, 3, 25));
        Calendar.AddWorkingDays(new LocalDate(2026, 3, 25), -1).Should().Be(new LocalDate(2026, 3, 17));
        Calendar.AddWorkingDays(new LocalDate(2026, 3, 17), 0).Should().Be(new LocalDate(2026, 3, 17));
    }

    [Fact]
    public void AddWorkingDays_TenFromFridayBeforeTheBlock_LandsAfterEasterWeekend()
    {
        // Working days after Fri 13 Mar: 16, 17, 25, 26, 27, 30, 31 Mar, 1, 2, 6 Apr (3 Apr Good Friday, 4–5 weekend/Easter).
        Calendar.AddWorkingDays(Wib(3, 13, 10), 10).Should().Be(Wib(4, 6, 10));
    }

    [Fact]
    public void AddWorkingTime_AcrossTheBlock_ContinuesOnTheNextWorkingMorning() =>
        Calendar.AddWorkingTime(Wib(3, 17, 15), TimeSpan.FromHours(4)).Should().Be(Wib(3, 25, 10));

    [Fact]
    public void AddWorkingTime_ExactlyOneDay_EndsAtCloseNotNextMorning() =>
        Calendar.AddWorkingTime(Wib(3, 2, 8), TimeSpan.FromHours(9)).Should().Be(Wib(3, 2, 17));

    [Fact]
    public void AddWorkingTime_StartOnSaturdayEvening_CountsFromMondayMorning() =>
        Calendar.AddWorkingTime(Wib(3, 7, 20), TimeSpan.FromMinutes(90)).Should().Be(Wib(3, 9, 9, 30));

    [Fact]
    public void AddWorkingTime_StartBeforeOpening_CountsFromOpening() =>
        Calendar.AddWorkingTime(Wib(3, 2, 6), TimeSpan.FromMinutes(30)).Should().Be(Wib(3, 2, 8, 30));

    [Fact]
    public void AddWorkingTime_Zero_ReturnsTheStartEvenOutsideHours() =>
        Calendar.AddWorkingTime(Wib(3, 7, 20), TimeSpan.Zero).Should().Be(Wib(3, 7, 20));

    [Fact]
    public void AddWorkingTime_Negative_Throws() =>
        FluentActions.Invoking(() => Calendar.AddWorkingTime(Wib(3, 2, 8), TimeSpan.FromHours(-1))).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void AddWorkingTime_UtcArgument_ResultKeepsTheArgumentsOffset()
    {
        var due = Calendar.AddWorkingTime(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));

        due.Offset.Should().Be(TimeSpan.Zero);
        due.Should().Be(Wib(3, 2, 9));
    }

    [Fact]
    public void WorkingTimeBetween_AcrossBlockAndEaster_CountsOnlyWorkingHours()
    {
        Calendar.WorkingTimeBetween(Wib(3, 13, 10), Wib(4, 6, 10)).Should().Be(TimeSpan.FromHours(90));
        Calendar.WorkingTimeBetween(Wib(4, 6, 10), Wib(3, 13, 10)).Should().Be(TimeSpan.FromHours(-90));
        Calendar.WorkingTimeBetween(Wib(3, 17, 16), Wib(3, 25, 9)).Should().Be(TimeSpan.FromHours(2));
        Calendar.WorkingTimeBetween(Wib(3, 18, 0), Wib(3, 24, 23)).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void WorkingTimeBetween_InverseOfAddWorkingTime_ForManyStarts()
    {
        for (var hour = 0; hour < 24 * 40; hour += 5)
        {
            var from = Wib(3, 1, 0).AddHours(hour);
            var due = Calendar.AddWorkingTime(from, TimeSpan.FromHours(13.5));
            Calendar.WorkingTimeBetween(from, due).Should().Be(TimeSpan.FromHours(13.5), $"from {from:O}");
            Calendar.WorkingTimeBetween(from, due.AddTicks(-1)).Should().BeLessThan(TimeSpan.FromHours(13.5), "the due is the earliest such instant");
        }
    }

    [Fact]
    public void IsWorkingTime_OtherZone_UsesThatZonesWallClock()
    {
        var jayapura = new WorkingCalendar(Holidays, new WorkingCalendarOptions { TimeZoneId = "Asia/Jayapura" });
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(9));

        jayapura.IsWorkingTime(at).Should().BeTrue("08:00 WIT");
        Calendar.IsWorkingTime(at).Should().BeFalse("the same instant is 06:00 WIB");
    }

    [Fact]
    public void AddWorkingTime_CustomHoursAndSaturday_UsesThem()
    {
        var options = new WorkingCalendarOptions
        {
            WorkdayStart = new LocalTime(7, 0),
            WorkdayEnd = new LocalTime(21, 0),
            WorkingDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday },
        };
        var calendar = new WorkingCalendar(Holidays, options);

        calendar.WorkdayLength.Should().Be(Duration.FromHours(14));
        calendar.AddWorkingTime(Wib(3, 6, 20), TimeSpan.FromHours(2)).Should().Be(Wib(3, 7, 8));
    }

    [Fact]
    public void Constructor_UnknownZone_SaysWhichId() =>
        FluentActions.Invoking(() => new WorkingCalendar(Holidays, new WorkingCalendarOptions { TimeZoneId = "Asia/Bandung" }))
            .Should().Throw<ArgumentException>().WithMessage("*'Asia/Bandung' is not an IANA time zone id*");

    [Fact]
    public void Constructor_InvertedHours_Throws() =>
        FluentActions.Invoking(() => new WorkingCalendar(Holidays, new WorkingCalendarOptions { WorkdayStart = new LocalTime(17, 0), WorkdayEnd = new LocalTime(8, 0) }))
            .Should().Throw<ArgumentException>().WithMessage("*working hours 17:00–08:00 are empty*");

    [Fact]
    public void Constructor_NoWorkingDays_Throws() =>
        FluentActions.Invoking(() => new WorkingCalendar(Holidays, new WorkingCalendarOptions { WorkingDays = new HashSet<IsoDayOfWeek>() }))
            .Should().Throw<ArgumentException>().WithMessage("*at least one working day*");
}

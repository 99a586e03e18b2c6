using ContactCenter.Modules.Calendar;
using FluentAssertions;
using NodaTime;

namespace ContactCenter.Runtime.Tests.Calendar;

/// <summary>
/// The pure parts of maintained holiday years: a live calendar swapped whole, what is missing on a
/// given day, the change description, and the file format written back as it is read.
/// </summary>
public class MaintainedHolidayYearsTests
{
    private static readonly HolidayYear Year2026 = new(2026, null, [new(new LocalDate(2026, 8, 17), HolidayKind.NationalHoliday, "Hari Proklamasi Kemerdekaan Republik Indonesia")]);
    private static readonly HolidayYear Year2027 = new(2027, "test", [new(new LocalDate(2027, 8, 17), HolidayKind.NationalHoliday, "Hari Proklamasi Kemerdekaan Republik Indonesia")]);

    [Fact]
    public void Replacing_a_maintained_calendar_reaches_every_holder_at_once()
    {
        var live = HolidayCalendar.Maintained([Year2026]);
        var working = new WorkingCalendar(live);
        working.Classify(new LocalDate(2027, 8, 17)).Should().Be(DayKind.WorkingDay);

        live.Replace([Year2026, Year2027]);

        working.Classify(new LocalDate(2027, 8, 17)).Should().Be(DayKind.NationalHoliday);
        live.CoveredYears.Should().Equal(2026, 2027);
    }

    [Fact]
    public void A_bad_replacement_changes_nothing_and_a_fixed_calendar_cannot_be_replaced()
    {
        var live = HolidayCalendar.Maintained([Year2026]);
        var twice = () => live.Replace([Year2027, Year2027]);
        twice.Should().Throw<ArgumentException>().WithMessage("calendar data for 2027 is given twice*");
        live.CoveredYears.Should().Equal(2026);

        var fixedCalendar = new HolidayCalendar([Year2026]);
        var replace = () => fixedCalendar.Replace([Year2027]);
        replace.Should().Throw<InvalidOperationException>();
        var empty = () => HolidayCalendar.Empty.Replace([Year2027]);
        empty.Should().Throw<InvalidOperationException>("the shared empty calendar must never change under its other holders");
    }

    [Theory]
    [InlineData(2026, 11, 30, new int[0])]
    [InlineData(2026, 12, 1, new[] { 2027 })]
    [InlineData(2026, 12, 31, new[] { 2027 })]
    [InlineData(2027, 1, 1, new[] { 2027 })]
    [InlineData(2025, 12, 1, new[] { 2025 })]
    public void Coverage_asks_for_this_year_and_from_1_December_for_the_next(int year, int month, int day, int[] missing)
    {
        var coverage = HolidayYears.CoverageOn(new HolidayCalendar([Year2026]), new LocalDate(year, month, day));

        coverage.MissingYears.Should().Equal(missing);
        coverage.Complete.Should().Be(missing.Length == 0);
        if (missing.Length > 0)
        {
            coverage.Problem.Should().StartWith($"no holidays for {string.Join(" and ", missing)}:");
        }
    }

    [Fact]
    public void Describe_lists_dates_added_removed_and_changed()
    {
        var before = new HolidayYear(2027, "a", [
            new(new LocalDate(2027, 1, 1), HolidayKind.NationalHoliday, "Tahun Baru"),
            new(new LocalDate(2027, 5, 1), HolidayKind.NationalHoliday, "Hari Buruh"),
        ]);
        var after = new HolidayYear(2027, "a", [
            new(new LocalDate(2027, 1, 1), HolidayKind.CutiBersama, "Tahun Baru"),
            new(new LocalDate(2027, 8, 17), HolidayKind.NationalHoliday, "Proklamasi"),
        ]);

        HolidayYears.Describe(before, after).Should().Be(
            "added 2027-08-17 (Proklamasi, nationalHoliday); removed 2027-05-01 (Hari Buruh, nationalHoliday); "
            + "changed 2027-01-01 (Tahun Baru, nationalHoliday) → 2027-01-01 (Tahun Baru, cutiBersama)");
        HolidayYears.Describe(after, after).Should().Be("no change to the dates");
    }

    [Fact]
    public void The_written_file_reads_back_as_the_same_year_with_the_names_unescaped()
    {
        var text = HolidayCalendarLoader.Write(Year2027);

        text.Should().Contain("\"Hari Proklamasi Kemerdekaan Republik Indonesia\"").And.Contain("\"nationalHoliday\"");
        var back = HolidayCalendarLoader.Parse(text, "2027.json");
        back.Year.Should().Be(2027);
        back.Source.Should().Be("test");
        back.Entries.Should().Equal(Year2027.Entries);
    }

    [Fact]
    public void A_name_longer_than_a_label_is_refused_with_its_entry()
    {
        var json = $$"""{ "year": 2027, "entries": [ { "date": "2027-01-01", "kind": "nationalHoliday", "name": "{{new string('x', 201)}}" } ] }""";

        var act = () => HolidayCalendarLoader.Parse(json, "2027.json");

        act.Should().Throw<CalendarDataException>().WithMessage("2027.json: entries[0].name: is 201 characters long; at most 200");
    }
}

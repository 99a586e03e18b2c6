using System.Text.RegularExpressions;
using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Greetings;
using ContactCenter.Runtime.Tests.Calendar;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using static ContactCenter.Runtime.Tests.Calendar.RuntimeData;

namespace ContactCenter.Runtime.Tests.Greetings;

/// <summary>Greetings on the real 2026 calendar, the clock always a <see cref="FakeTimeProvider"/>. Wed 4 Mar 2026 is an ordinary working day.</summary>
public partial class GreeterTests
{
    private static readonly Greeter Greeter = new(Holidays);

    private static string ClosingAt(DateTimeOffset at, Greeter? greeter = null) => (greeter ?? Greeter).Variables(new FakeTimeProvider(at)).SalamPenutup;

    [Theory]
    [InlineData(5, 59, "Selamat beristirahat")]
    [InlineData(6, 0, "Selamat beraktifitas")]
    [InlineData(12, 0, "Selamat beraktifitas")]
    [InlineData(18, 0, "Selamat beraktifitas")]
    [InlineData(18, 1, "Selamat beristirahat")]
    [InlineData(23, 59, "Selamat beristirahat")]
    [InlineData(0, 0, "Selamat beristirahat")]
    public void Closing_WorkingDayBoundaryMinutes_FollowTheDefault(int hour, int minute, string expected) =>
        ClosingAt(Wib(3, 4, hour, minute)).Should().Be(expected);

    [Fact]
    public void Closing_LastSecondOf1800_IsStillBeraktifitas() =>
        ClosingAt(Wib(3, 4, 18, 0).AddSeconds(59)).Should().Be("Selamat beraktifitas");

    [Fact]
    public void Closing_RestFrom1800_Makes1800Beristirahat()
    {
        var greeter = new Greeter(Holidays, new GreetingOptions { RestFrom = new LocalTime(18, 0) });

        ClosingAt(Wib(3, 4, 17, 59), greeter).Should().Be("Selamat beraktifitas");
        ClosingAt(Wib(3, 4, 18, 0), greeter).Should().Be("Selamat beristirahat");
    }

    [Theory]
    [InlineData(3, 7, 10)]
    [InlineData(3, 7, 22)]
    [InlineData(3, 8, 5)]
    [InlineData(3, 8, 12)]
    public void Closing_SaturdayOrSunday_IsBerakhirPekanAllDay(int month, int day, int hour) =>
        ClosingAt(Wib(month, day, hour)).Should().Be("Selamat berakhir pekan");

    [Theory]
    [InlineData(6, 16, 10)]
    [InlineData(6, 16, 20)]
    [InlineData(1, 1, 9)]
    [InlineData(8, 25, 9)]
    [InlineData(5, 27, 9)]
    public void Closing_NationalHolidayOnAWorkingDay_IsBerlibur(int month, int day, int hour) =>
        ClosingAt(Wib(month, day, hour)).Should().Be("Selamat berlibur");

    [Fact]
    public void Closing_CutiBersamaNextToAMidweekHoliday_IsBerlibur() =>
        ClosingAt(Wib(5, 28, 9)).Should().Be("Selamat berlibur", "27–28 May (Wed–Thu) are two days off, not touching the weekend");

    [Theory]
    [InlineData(1, 16, "Isra Mikraj on a Friday: Fri–Sun")]
    [InlineData(2, 16, "cuti bersama Monday and Imlek Tuesday after the weekend: Sat–Tue")]
    [InlineData(3, 18, "the Nyepi/Idul Fitri block: Wed 18 – Tue 24 March")]
    [InlineData(3, 24, "the Nyepi/Idul Fitri block: Wed 18 – Tue 24 March")]
    [InlineData(4, 3, "Good Friday: Fri–Sun")]
    [InlineData(5, 14, "Kenaikan Thursday and cuti bersama Friday: Thu–Sun")]
    [InlineData(6, 1, "Pancasila Monday: Sat–Mon")]
    [InlineData(8, 17, "Independence Day Monday: Sat–Mon")]
    [InlineData(12, 24, "Christmas: Thu–Sun")]
    public void Closing_HolidayOrCutiBersamaInALongWeekend_IsBerakhirPekan(int month, int day, string because) =>
        ClosingAt(Wib(month, day, 10)).Should().Be("Selamat berakhir pekan", because);

    [Fact]
    public void Closing_EveningBeforeALongWeekend_IsStillTheTimeOfDay() =>
        ClosingAt(Wib(4, 2, 20)).Should().Be("Selamat beristirahat", "Thursday night before Good Friday");

    [Fact]
    public void Closing_LongWeekendOfFourDaysRequired_ThreeDayRunIsBerlibur()
    {
        var greeter = new Greeter(Holidays, new GreetingOptions { LongWeekendMinDays = 4 });

        ClosingAt(Wib(1, 16, 10), greeter).Should().Be("Selamat berlibur");
        ClosingAt(Wib(2, 16, 10), greeter).Should().Be("Selamat berakhir pekan");
    }

    [Fact]
    public void Closing_CutiBersamaNotDayOff_IsAnOrdinaryWorkingDay()
    {
        var greeter = new Greeter(Holidays, new GreetingOptions { CutiBersamaIsDayOff = false });

        ClosingAt(Wib(5, 28, 9), greeter).Should().Be("Selamat beraktifitas");
        ClosingAt(Wib(3, 18, 9), greeter).Should().Be("Selamat beraktifitas", "without cuti bersama, Wed 18 March stands alone");
    }

    [Fact]
    public void DayOffRun_NyepiIdulFitriBlock_IsSevenDaysAndALongWeekend()
    {
        Greeter.DayOffRun(new LocalDate(2026, 3, 20)).Should().Be((new LocalDate(2026, 3, 18), new LocalDate(2026, 3, 24)));
        Greeter.IsLongWeekend(new LocalDate(2026, 3, 20)).Should().BeTrue();
        Greeter.DayOffRun(new LocalDate(2026, 3, 4)).Should().BeNull();
        Greeter.IsLongWeekend(new LocalDate(2026, 3, 7)).Should().BeFalse("an ordinary weekend is two days");
    }

    [Fact]
    public void Closing_JayapuraZone_UsesTheWallClockAndDateThere()
    {
        var jayapura = new Greeter(Holidays, new GreetingOptions { TimeZoneId = "Asia/Jayapura" });

        ClosingAt(Wib(3, 4, 17, 30)).Should().Be("Selamat beraktifitas");
        ClosingAt(Wib(3, 4, 17, 30), jayapura).Should().Be("Selamat beristirahat", "17:30 WIB is 19:30 WIT");
        ClosingAt(Wib(3, 6, 23, 30)).Should().Be("Selamat beristirahat", "Friday night in Jakarta");
        ClosingAt(Wib(3, 6, 23, 30), jayapura).Should().Be("Selamat berakhir pekan", "already Saturday 01:30 in Jayapura");
    }

    [Fact]
    public void Closing_UtcInstant_IsJudgedInJakarta() =>
        ClosingAt(new DateTimeOffset(2026, 3, 4, 11, 1, 0, TimeSpan.Zero)).Should().Be("Selamat beristirahat", "11:01 UTC is 18:01 WIB");

    [Theory]
    [InlineData(3, 59, "Selamat malam")]
    [InlineData(4, 0, "Selamat pagi")]
    [InlineData(10, 59, "Selamat pagi")]
    [InlineData(11, 0, "Selamat siang")]
    [InlineData(14, 59, "Selamat siang")]
    [InlineData(15, 0, "Selamat sore")]
    [InlineData(17, 59, "Selamat sore")]
    [InlineData(18, 0, "Selamat malam")]
    public void Opening_TimeOfDay_FollowsTheBands(int hour, int minute, string expected) =>
        Greeter.Variables(new FakeTimeProvider(Wib(3, 7, hour, minute))).SalamPembuka.Should().Be(expected);

    [Fact]
    public void Variables_FakeClockAdvanced_FollowsTheClock()
    {
        var time = new FakeTimeProvider(Wib(3, 4, 17, 59));

        Greeter.Variables(time).Should().Be(new GreetingVariables("Selamat sore", "Selamat beraktifitas"));
        time.Advance(TimeSpan.FromMinutes(2));
        Greeter.Variables(time).Should().Be(new GreetingVariables("Selamat malam", "Selamat beristirahat"));
    }

    [Fact]
    public void ToVariables_NamesArePlaceholdersOfTheWorkflows()
    {
        var placeholders = Directory.EnumerateFiles(Workflows, "*.bpmn")
            .SelectMany(path => Placeholder().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value))
            .Where(name => name.StartsWith("salam", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        var variables = new GreetingVariables("Selamat pagi", "Selamat beraktifitas").ToVariables();

        placeholders.Should().BeEquivalentTo([GreetingVariables.SalamPembukaName, GreetingVariables.SalamPenutupName]);
        variables.Keys.Should().BeEquivalentTo(placeholders);
        variables[GreetingVariables.SalamPenutupName].Should().Be(Value.From("Selamat beraktifitas"));
    }

    [Fact]
    public void Constructor_BadOptions_Throw()
    {
        FluentActions.Invoking(() => new Greeter(Holidays, new GreetingOptions { RestFrom = new LocalTime(5, 0) })).Should().Throw<ArgumentException>().WithMessage("*RestFrom*");
        FluentActions.Invoking(() => new Greeter(Holidays, new GreetingOptions { MiddayFrom = new LocalTime(3, 0) })).Should().Throw<ArgumentException>().WithMessage("*ascend*");
        FluentActions.Invoking(() => new Greeter(Holidays, new GreetingOptions { TimeZoneId = "WIT" })).Should().Throw<ArgumentException>().WithMessage("*'WIT'*");
        FluentActions.Invoking(() => new Greeter(Holidays, new GreetingOptions { LongWeekendMinDays = 0 })).Should().Throw<ArgumentException>();
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}

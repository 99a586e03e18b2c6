using System.Text;
using ContactCenter.Modules.Calendar;
using FluentAssertions;
using NodaTime;

namespace ContactCenter.Runtime.Tests.Calendar;

public class CalendarLoadingTests
{
    private const string GoodEntry = """{ "date": "2026-01-01", "kind": "nationalHoliday", "name": "Tahun Baru 2026 Masehi" }""";

    private static string Year(params string[] entries) => $$"""{ "year": 2026, "entries": [ {{string.Join(", ", entries)}} ] }""";

    [Fact]
    public void Load_RealYearFileStream_ReadsEveryEntry()
    {
        using var stream = File.OpenRead(Path.Combine(RuntimeData.CalendarFolder, "2026.json"));

        var year = HolidayCalendarLoader.Load(stream, "2026.json");

        year.Year.Should().Be(2026);
        year.Entries.Should().HaveCount(25);
        year.Entries[0].Should().Be(new HolidayEntry(new LocalDate(2026, 1, 1), HolidayKind.NationalHoliday, "Tahun Baru 2026 Masehi"));
    }

    [Fact]
    public void Parse_MalformedJson_NamesFileAndLine()
    {
        var act = () => HolidayCalendarLoader.Parse("{\n  \"year\": 2026,\n  \"entries\": [ ,\n] }", "broken.json");

        act.Should().Throw<CalendarDataException>().WithMessage("broken.json: line 3, position *: not valid JSON*")
            .Which.FileName.Should().Be("broken.json");
    }

    [Fact]
    public void Parse_ImpossibleDate_NamesEntryAndField()
    {
        var act = () => HolidayCalendarLoader.Parse(Year(GoodEntry, """{ "date": "2026-02-30", "kind": "cutiBersama", "name": "x" }"""), "bad.json");

        var error = act.Should().Throw<CalendarDataException>().Which;
        error.Message.Should().Be("bad.json: entries[1].date: '2026-02-30' is not a date (yyyy-MM-dd)");
        (error.Entry, error.Field).Should().Be(("entries[1]", "date"));
    }

    [Theory]
    [InlineData("""{ "date": "2026-05-01", "kind": "holiday", "name": "x" }""", "entries[0].kind: 'holiday' is not a kind (nationalHoliday, cutiBersama)")]
    [InlineData("""{ "date": "2027-01-01", "kind": "nationalHoliday", "name": "x" }""", "entries[0].date: 2027-01-01 is not in the file's year 2026")]
    [InlineData("""{ "date": "2026-05-01", "kind": "nationalHoliday" }""", "entries[0].name: is required")]
    [InlineData("""{ "date": "2026-05-01", "kind": "nationalHoliday", "name": " " }""", "entries[0].name: must not be empty")]
    [InlineData("""{ "date": "2026-05-01", "kind": "nationalHoliday", "nama": "x" }""", "entries[0].nama: unknown field (known: date, kind, name)")]
    [InlineData("""{ "date": 20260501, "kind": "nationalHoliday", "name": "x" }""", "entries[0].date: expected a string, found the number 20260501")]
    [InlineData("\"2026-05-01\"", "entries[0]: expected an object, found the string '2026-05-01'")]
    public void Parse_BadEntry_SaysWhatAndWhere(string entry, string expected) =>
        FluentActions.Invoking(() => HolidayCalendarLoader.Parse(Year(entry), "2026.json"))
            .Should().Throw<CalendarDataException>().WithMessage("2026.json: " + expected);

    [Fact]
    public void Parse_SameDateTwice_NamesBothEntries() =>
        FluentActions.Invoking(() => HolidayCalendarLoader.Parse(Year(GoodEntry, GoodEntry.Replace("nationalHoliday", "cutiBersama", StringComparison.Ordinal)), "2026.json"))
            .Should().Throw<CalendarDataException>().WithMessage("2026.json: entries[1].date: 2026-01-01 is already listed as entries[0]");

    [Fact]
    public void Parse_MissingYear_SaysSo() =>
        FluentActions.Invoking(() => HolidayCalendarLoader.Parse("""{ "entries": [] }""", "x.json"))
            .Should().Throw<CalendarDataException>().WithMessage("x.json: year: is required");

    [Fact]
    public void Combine_SameYearInTwoFiles_NamesBoth()
    {
        var year = HolidayCalendarLoader.Parse(Year(GoodEntry), "2026.json");

        FluentActions.Invoking(() => HolidayCalendarLoader.Combine([("2026.json", year), ("2026-copy.json", year)]))
            .Should().Throw<CalendarDataException>().WithMessage("2026-copy.json: year: 2026 is already given by 2026.json");
    }

    [Fact]
    public void Load_StreamWithByteOrderMark_Parses()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Year(GoodEntry))).ToArray());

        HolidayCalendarLoader.Load(stream, "bom.json").Entries.Should().ContainSingle();
    }

    [Fact]
    public void ParseSla_RealFile_HasTheComplaintPolicyAndBothTimers()
    {
        var sla = RuntimeData.Sla;

        sla.Calendar.TimeZoneId.Should().Be("Asia/Jakarta");
        sla.Calendar.WorkdayStart.Should().Be(new LocalTime(8, 0));
        sla.Calendar.WorkdayEnd.Should().Be(new LocalTime(17, 0));
        sla.Calendar.WorkingDays.Should().BeEquivalentTo([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday]);
        var complaint = sla.Policies.Get("complaint");
        complaint.Resolution.Should().Be(SlaTarget.WorkingDays(10));
        complaint.Extension.Should().Be(SlaTarget.WorkingDays(10));
        complaint.WarningShare.Should().Be(0.75m);
        sla.Policies.TimerPolicies.Select(t => (t.Name, t.PolicyName, t.Point)).Should().BeEquivalentTo(
            [("complaint-warning", SlaTimerPolicy.ByTicket, SlaTimerPoint.Warning), ("complaint-resolution", SlaTimerPolicy.ByTicket, SlaTimerPoint.Breach)]);
    }

    [Fact]
    public void ParseSla_OmittedFields_TakeTheDefaults()
    {
        var sla = SlaPolicyLoader.Parse("""{ "policies": [ { "name": "p" } ] }""", "sla.json");

        sla.Calendar.TimeZoneId.Should().Be("Asia/Jakarta");
        sla.Policies.Get("p").Should().Be(SlaPolicy.Default("p"));
    }

    [Fact]
    public void ParseSla_NotExtensible_HasNoExtension() =>
        SlaPolicyLoader.Parse("""{ "policies": [ { "name": "p", "extensible": false } ] }""", "sla.json").Policies.Get("p").Extension.Should().BeNull();

    [Theory]
    [InlineData("""{ "policies": [ { "name": "p", "resolution": { "workingDays": 10, "workingHours": 2 } } ] }""", "policies[0].resolution: needs exactly one of workingDays, workingHours")]
    [InlineData("""{ "policies": [ { "name": "p", "resolution": { "workingDays": 0 } } ] }""", "policies[0].resolution.workingDays: 0 is not a positive amount")]
    [InlineData("""{ "policies": [ { "name": "p", "resolution": { "days": 10 } } ] }""", "policies[0].resolution.days: unknown field (known: workingDays, workingHours)")]
    [InlineData("""{ "policies": [ { "name": "p", "warningShare": 1.5 } ] }""", "policies[0].warningShare: 1.5 is not between 0 and 1 (exclusive)")]
    [InlineData("""{ "policies": [ { "name": "p" }, { "name": "p" } ] }""", "policies[1].name: 'p' is already defined")]
    [InlineData("""{ "policies": [ { "name": "p" }, { "name": "q" } ] }""", "policies: policies 'p' and 'q' both cover category '*', priority '*'")]
    [InlineData("""{ "policies": [ { "name": "p" } ], "timers": { "t": { "policy": "x", "point": "breach" } } }""", "timers.t.policy: 'x' is neither a policy in this file nor 'byTicket'")]
    [InlineData("""{ "policies": [ { "name": "p" } ], "timers": { "t": { "policy": "p", "point": "late" } } }""", "timers.t.point: 'late' is not a point (firstResponse, warning, breach)")]
    [InlineData("""{ "calendar": { "timeZone": "WIB" }, "policies": [] }""", "calendar.timeZone: 'WIB' is not an IANA time zone id (e.g. Asia/Jakarta)")]
    [InlineData("""{ "calendar": { "workdayStart": "8am" }, "policies": [] }""", "calendar.workdayStart: '8am' is not a time of day (HH:mm)")]
    [InlineData("""{ "calendar": { "workdayStart": "17:00", "workdayEnd": "08:00" }, "policies": [] }""", "calendar.workdayEnd: 08:00 is not after workdayStart 17:00")]
    [InlineData("""{ "calendar": { "workingDays": ["senin"] }, "policies": [] }""", "calendar.workingDays: the string 'senin' is not a day of the week (monday … sunday)")]
    [InlineData("""{ "calendar": { "workingDays": ["1"] }, "policies": [] }""", "calendar.workingDays: the string '1' is not a day of the week (monday … sunday)")]
    [InlineData("""{ "policy": [] }""", "policy: unknown field (known: calendar, policies, timers, categories, priorities)")]
    [InlineData("""{ "categories": ["Transaksi", 3], "policies": [] }""", "categories: the number 3 is not a name")]
    [InlineData("""{ "priorities": ["Tinggi", "Tinggi"], "policies": [] }""", "priorities: 'Tinggi' is listed twice")]
    public void ParseSla_BadField_SaysWhatAndWhere(string json, string expected) =>
        FluentActions.Invoking(() => SlaPolicyLoader.Parse(json, "sla-policies.json"))
            .Should().Throw<CalendarDataException>().WithMessage("sla-policies.json: " + expected);

    [Theory]
    [InlineData("Transaksi", "Sedang", true)]
    [InlineData("Pengaduan", "Sedang", false)]
    [InlineData("transaksi", "Sedang", false)]
    [InlineData("Transaksi", "Darurat", false)]
    public void RealPolicies_ListTheConsolesCategoriesAndPriorities(string category, string priority, bool known) =>
        (RuntimeData.Sla.Policies.IsKnownCategory(category) && RuntimeData.Sla.Policies.IsKnownPriority(priority)).Should().Be(known);

    [Fact]
    public void WithoutLists_AValueIsKnownWhenAPolicyCoversIt()
    {
        var set = new SlaPolicySet([SlaPolicy.Default("gadai") with { Category = "Gadai", Priority = "Tinggi" }]);

        set.IsKnownCategory("gadai").Should().BeTrue();
        set.IsKnownCategory("Emas").Should().BeFalse();
        set.IsKnownPriority("Rendah").Should().BeFalse();
        new SlaPolicySet([SlaPolicy.Default("any")]).IsKnownCategory("Apa saja").Should().BeTrue("a * policy covers any category");
    }

    [Theory]
    [InlineData("Transaksi", "Tinggi", "complaint-tinggi")]
    [InlineData("Transaksi", "tinggi", "complaint-tinggi")]
    [InlineData("Gadai", "Sedang", "complaint-sedang")]
    [InlineData("Gadai", "Rendah", "complaint")]
    public void Find_RealPolicies_PicksTheMostSpecific(string category, string priority, string expected) =>
        RuntimeData.Sla.Policies.Find(category, priority).Name.Should().Be(expected);

    [Fact]
    public void Find_CategoryBeatsPriority_AndExactBeatsBoth()
    {
        var set = new SlaPolicySet(
        [
            SlaPolicy.Default("any"),
            SlaPolicy.Default("high") with { Priority = "Tinggi" },
            SlaPolicy.Default("gadai") with { Category = "Gadai" },
            SlaPolicy.Default("gadai-high") with { Category = "Gadai", Priority = "Tinggi" },
        ]);

        set.Find("Gadai", "Rendah").Name.Should().Be("gadai");
        set.Find("Emas", "Tinggi").Name.Should().Be("high");
        set.Find("Gadai", "Tinggi").Name.Should().Be("gadai-high");
        set.Find("Emas", "Rendah").Name.Should().Be("any");
    }

    [Fact]
    public void Find_NoCatchAll_Throws() =>
        FluentActions.Invoking(() => new SlaPolicySet([SlaPolicy.Default("high") with { Priority = "Tinggi" }]).Find("Gadai", "Rendah"))
            .Should().Throw<KeyNotFoundException>().WithMessage("*category 'Gadai', priority 'Rendah'*");
}

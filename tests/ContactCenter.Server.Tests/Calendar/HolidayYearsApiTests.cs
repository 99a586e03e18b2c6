using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Server.Tests.Calendar;

/// <summary>
/// An administrator keeps next year's holidays in the product (issue 14 item 11): the ready check
/// says from 1 December (Jakarta) that next year is missing, the year is saved or imported in the
/// calendar file format over the revision it started from, every part of the server sees it at
/// once and after a restart, and every change is recorded with who and which dates. The repository's
/// calendar has 2026 only; the server's clock is fixed so "today" is known.
/// </summary>
public sealed class HolidayYearsApiTests : IDisposable
{
    // 30 November 2026, 23:50 in Jakarta (UTC+7).
    private static readonly DateTimeOffset LastEveningOfNovember = new(2026, 11, 30, 16, 50, 0, TimeSpan.Zero);

    private const string Year2027 = """
        {
          "year": 2027,
          "source": "test data: the two fixed-date holidays only",
          "entries": [
            { "date": "2027-01-01", "kind": "nationalHoliday", "name": "Tahun Baru 2027 Masehi" },
            { "date": "2027-08-17", "kind": "nationalHoliday", "name": "Hari Proklamasi Kemerdekaan Republik Indonesia" }
          ]
        }
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cc-holidays-");
    private readonly FakeTimeProvider _clock = new(LastEveningOfNovember);

    [Fact]
    public async Task Next_year_missing_from_1_December_degrades_ready_until_an_admin_saves_it_and_every_part_sees_it()
    {
        await using (var server = Server())
        {
            using var admin = await server.SignedInClientAsync("admin");
            (await CalendarCheckAsync(admin)).Status.Should().Be("Healthy", "in November next year's holidays are not due yet");

            _clock.Advance(TimeSpan.FromMinutes(20));
            var (status, description) = await CalendarCheckAsync(admin);
            status.Should().Be("Degraded");
            description.Should().StartWith("no holidays for 2027").And.Contain("PUT /api/calendar/years/2027");
            var years = await admin.GetJsonAsync("/api/calendar/years");
            years.GetProperty("missing").EnumerateArray().Select(y => y.GetInt32()).Should().Equal(2027);
            years.GetProperty("years").EnumerateArray().Select(y => (y.GetProperty("year").GetInt32(), y.GetProperty("origin").GetString())).Should().Equal((2026, "Bundled"));
            await (await admin.GetAsync("/api/calendar/years/2027")).ProblemAsync(HttpStatusCode.NotFound);
            (await admin.GetJsonAsync("/api/greetings/preview?at=2027-08-17T03:00:00Z")).GetProperty("closing").GetString().Should().Be("Beraktifitas", "without data 17 August is a working Tuesday");

            using var agent = await server.SignedInClientAsync("agent.sari");
            (await agent.PutAsync("/api/calendar/years/2027?revision=0", Json(Year2027))).StatusCode.Should().Be(HttpStatusCode.Forbidden);

            var saved = await (await admin.PutAsync("/api/calendar/years/2027?revision=0", Json(Year2027))).JsonAsync();
            saved.GetProperty("revision").GetInt64().Should().Be(1);
            saved.GetProperty("origin").GetString().Should().Be("Maintained");

            (await CalendarCheckAsync(admin)).Status.Should().Be("Healthy");
            (await admin.GetJsonAsync("/api/greetings/preview?at=2027-08-17T03:00:00Z")).GetProperty("closing").GetString().Should().Be("Berlibur", "the greeter reads the saved year at once");
            var holidays = await agent.GetJsonAsync("/api/calendar/holidays?year=2027");
            holidays.GetProperty("covered").GetBoolean().Should().BeTrue();
            holidays.GetProperty("holidays").EnumerateArray().Select(h => h.GetProperty("date").GetString()).Should().Equal("2027-01-01", "2027-08-17");

            var change = (await admin.GetJsonAsync("/api/calendar/years/changes")).EnumerateArray().Should().ContainSingle().Subject;
            change.GetProperty("actor").GetString().Should().Be("admin");
            change.GetProperty("action").GetString().Should().Be("saved");
            change.GetProperty("details").GetString().Should().Be(
                "added 2027-01-01 (Tahun Baru 2027 Masehi, nationalHoliday), 2027-08-17 (Hari Proklamasi Kemerdekaan Republik Indonesia, nationalHoliday); source '' → 'test data: the two fixed-date holidays only'");
            (await agent.GetAsync("/api/calendar/years/changes")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        await using (var restarted = Server())
        {
            using var admin = await restarted.SignedInClientAsync("admin");
            (await CalendarCheckAsync(admin)).Status.Should().Be("Healthy", "the maintained year is in the database, not in memory");
            var exported = await admin.GetAsync("/api/calendar/years/2027/file");
            exported.Content.Headers.ContentDisposition!.FileName.Should().Contain("2027.json");
            var file = JsonDocument.Parse(await exported.Content.ReadAsStringAsync()).RootElement;
            file.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("name").GetString())
                .Should().Equal("Tahun Baru 2027 Masehi", "Hari Proklamasi Kemerdekaan Republik Indonesia");
        }
    }

    [Fact]
    public async Task Bad_input_names_the_entry_and_field_and_changes_nothing()
    {
        await using var server = Server();
        using var admin = await server.SignedInClientAsync("admin");

        async Task<IReadOnlyList<string>> RefusedFieldsAsync(string url, HttpContent body)
        {
            var problem = await (await admin.PutAsync(url, body)).ProblemAsync(HttpStatusCode.BadRequest);
            return [.. problem.GetProperty("errors").EnumerateObject().Select(e => $"{e.Name}: {e.Value[0].GetString()}")];
        }

        (await RefusedFieldsAsync("/api/calendar/years/2027?revision=0", Json(Year2027.Replace("2027-08-17", "2027-02-30", StringComparison.Ordinal))))
            .Should().ContainSingle().Which.Should().StartWith("entries[1].date: 2027.json: entries[1].date: '2027-02-30' is not a date");
        (await RefusedFieldsAsync("/api/calendar/years/2027?revision=0", Json(Year2027.Replace("2027-08-17", "2028-08-17", StringComparison.Ordinal))))
            .Should().ContainSingle().Which.Should().Contain("entries[1].date").And.Contain("not in the file's year 2027");
        (await RefusedFieldsAsync("/api/calendar/years/2027?revision=0", Json(Year2027.Replace("nationalHoliday\", \"name\": \"Tahun", "libur\", \"name\": \"Tahun", StringComparison.Ordinal))))
            .Should().ContainSingle().Which.Should().StartWith("entries[0].kind: ").And.Contain("'libur' is not a kind");
        (await RefusedFieldsAsync("/api/calendar/years/2027?revision=0", Json(Year2027.Replace("\"source\"", "\"sumber\"", StringComparison.Ordinal))))
            .Should().ContainSingle().Which.Should().StartWith("sumber: ").And.Contain("unknown field");
        (await RefusedFieldsAsync("/api/calendar/years/2027?revision=0", Json("{ \"year\": 2027, ")))
            .Should().ContainSingle().Which.Should().StartWith("body: ").And.Contain("not valid JSON");
        (await RefusedFieldsAsync("/api/calendar/years/2028?revision=0", Json(Year2027)))
            .Should().ContainSingle().Which.Should().Be("year: the body gives 2027, the address 2028");
        (await RefusedFieldsAsync("/api/calendar/years/2027", Json(Year2027)))
            .Should().ContainSingle().Which.Should().StartWith("revision: the revision the change started from is required");
        await (await admin.PutAsync("/api/calendar/years/2027?revision=0", new StringContent(Year2027, Encoding.UTF8, "text/plain"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await admin.PutAsync("/api/calendar/years/2027?revision=0", Json(new string(' ', 200_000)))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        (await admin.GetJsonAsync("/api/calendar/years/changes")).GetArrayLength().Should().Be(0, "nothing bad was saved");

        // Two editors from revision 0: the second is told someone changed the year meanwhile.
        (await admin.PutAsync("/api/calendar/years/2027?revision=0&fileName=2027.json", Json(Year2027))).StatusCode.Should().Be(HttpStatusCode.OK);
        var conflict = await (await admin.PutAsync("/api/calendar/years/2027?revision=0", Json(Year2027.Replace("Masehi", "M", StringComparison.Ordinal)))).ProblemAsync(HttpStatusCode.Conflict);
        conflict.GetProperty("detail").GetString().Should().StartWith("2027 is at revision 1, not 0");
        (await admin.GetJsonAsync("/api/calendar/years/2027")).GetProperty("entries")[0].GetProperty("name").GetString().Should().Be("Tahun Baru 2027 Masehi");

        var renamed = await (await admin.PutAsync("/api/calendar/years/2027?revision=1", Json(Year2027.Replace("Masehi", "M", StringComparison.Ordinal)))).JsonAsync();
        renamed.GetProperty("revision").GetInt64().Should().Be(2);
        var changes = (await admin.GetJsonAsync("/api/calendar/years/changes?year=2027")).EnumerateArray().ToList();
        changes.Select(c => c.GetProperty("action").GetString()).Should().Equal("saved", "imported 2027.json");
        changes[0].GetProperty("details").GetString().Should().Be("changed 2027-01-01 (Tahun Baru 2027 Masehi, nationalHoliday) → 2027-01-01 (Tahun Baru 2027 M, nationalHoliday)");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on the way out; the temp folder is cleaned by the OS.
        }
    }

    private ServerFactory Server() =>
        new(Path.Combine(_folder.FullName, "data"), services => services.AddSingleton<TimeProvider>(_clock), runScheduler: false);

    private static StringContent Json(string text) => new(text, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static async Task<(string Status, string Description)> CalendarCheckAsync(HttpClient admin)
    {
        var check = (await admin.GetJsonAsync("/health/ready")).GetProperty("checks").GetProperty("calendar");
        return (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString()!);
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The administrator keeps the holiday years in the browser: the screen says what is missing in
/// the server's own words, a year is entered date by date and saved, a year file is imported, and a
/// bad file is refused with the entry and field it names. Far-future years, so the repository's
/// own calendar and today's date do not matter.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class HolidayCalendarTests(WebAppFixture app)
{
    [Fact]
    public async Task Admin_EntersAYear_ImportsAnother_AndABadFileIsRefusedWithItsField()
    {
        var admin = await app.NewPageAsync();
        await admin.SignInAsync(app, "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Kalender" }).ClickAsync();
        await Expect(admin.GetByTestId("calendar-year").Filter(new() { HasText = "2026" })).ToContainTextAsync("Bawaan (berkas)");

        // The notice is the server's own account of what is missing (none, or this/next year).
        var years = JsonDocument.Parse(await admin.EvaluateAsync<string>("() => fetch('/api/calendar/years').then(r => r.text())")).RootElement;
        var problem = years.GetProperty("problem");
        if (problem.ValueKind == JsonValueKind.String)
        {
            await Expect(admin.GetByTestId("calendar-missing")).ToHaveTextAsync(problem.GetString()!);
        }
        else
        {
            await Expect(admin.GetByTestId("calendar-missing")).ToBeHiddenAsync();
        }

        // A year entered date by date.
        await admin.GetByLabel("Tahun", new() { Exact = true }).FillAsync("2041");
        await admin.GetByTestId("add-year").ClickAsync();
        var form = admin.GetByTestId("year-form");
        await form.GetByLabel("Sumber").FillAsync("uji: dua tanggal");
        await form.GetByTestId("add-row").ClickAsync();
        await form.GetByTestId("add-row").ClickAsync();
        var rows = form.GetByTestId("holiday-row");
        await rows.Nth(0).GetByLabel("Tanggal").FillAsync("2041-01-01");
        await rows.Nth(0).GetByLabel("Nama").FillAsync("Tahun Baru 2041 Masehi");
        await rows.Nth(1).GetByLabel("Tanggal").FillAsync("2041-08-16");
        await rows.Nth(1).GetByLabel("Jenis").SelectOptionAsync("cutiBersama");
        await rows.Nth(1).GetByLabel("Nama").FillAsync("Cuti bersama Hari Kemerdekaan");
        await form.GetByRole(AriaRole.Button, new() { Name = "Simpan" }).ClickAsync();
        var saved = admin.GetByTestId("calendar-year").Filter(new() { HasText = "2041" });
        await Expect(saved.GetByTestId("year-origin")).ToHaveTextAsync("Dikelola di aplikasi");
        await Expect(saved.GetByTestId("year-revision")).ToHaveTextAsync("1");
        await Expect(admin.GetByTestId("calendar-history")).ToContainTextAsync("admin · 2041: saved (added 2041-01-01 (Tahun Baru 2041 Masehi, nationalHoliday), 2041-08-16 (Cuti bersama Hari Kemerdekaan, cutiBersama)");
        await app.ScreenshotAsync(admin, "60-calendar-year-saved");

        // A year file imported as it is.
        await admin.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "2042.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""{ "year": 2042, "entries": [ { "date": "2042-08-17", "kind": "nationalHoliday", "name": "Hari Proklamasi Kemerdekaan Republik Indonesia" } ] }"""),
        });
        await Expect(admin.GetByTestId("calendar-year").Filter(new() { HasText = "2042" }).GetByTestId("year-origin")).ToHaveTextAsync("Dikelola di aplikasi");
        await Expect(admin.GetByTestId("calendar-history")).ToContainTextAsync("2042: imported 2042.json");

        // A bad file: the error names the entry and the field; the year stays as it was.
        await admin.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "2042.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""{ "year": 2042, "entries": [ { "date": "2042-02-30", "kind": "nationalHoliday", "name": "?" } ] }"""),
        });
        await Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("entries[0].date: 2042.json: entries[0].date: '2042-02-30' is not a date");
        await Expect(admin.GetByTestId("calendar-year").Filter(new() { HasText = "2042" }).GetByTestId("year-revision")).ToHaveTextAsync("1");

        await admin.Context.CloseAsync();
    }
}

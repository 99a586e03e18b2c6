using System.Globalization;
using System.Text;
using ContactCenter.Hosting;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Greetings;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace ContactCenter.Server.Api;

/// <summary>
/// The working calendar's days off, the greetings an agent would read at a given instant, and the
/// years of holidays an administrator maintains: listed with what is missing, read and exported in
/// the calendar file format, saved or imported over the revision the editor started from, every
/// change recorded with who made it and which dates it touched.
/// </summary>
public static class CalendarEndpoints
{
    public sealed record HolidayView(string Date, string Kind, string Name);

    public sealed record HolidaysResponse(int Year, bool Covered, IReadOnlyList<HolidayView> Holidays);

    public sealed record GreetingPreview(DateTimeOffset At, string LocalTime, string TimeZone, string SalamPembuka, string SalamPenutup, OpeningGreetingKind Opening, ClosingGreetingKind Closing);

    /// <summary>A year's data is small (at most one entry a day); a larger body is not a calendar.</summary>
    public const long MaxYearBytes = 128 * 1024;

    public sealed record YearsResponse(IReadOnlyList<YearSummaryView> Years, IReadOnlyList<int> Missing, string? Problem);

    public sealed record YearSummaryView(int Year, string Origin, string? Source, int Entries, long Revision, string? ChangedBy, DateTimeOffset? ChangedAt);

    public sealed record YearView(int Year, string Origin, long Revision, string? Source, IReadOnlyList<HolidayView> Entries);

    public sealed record ChangeView(long Id, int Year, string Actor, DateTimeOffset At, string Action, string Details);

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var years = app.MapGroup("/api/calendar/years").WithTags("Calendar");
        years.MapGet("", ListYears)
            .WithSummary("Every year with holidays (bundled file or maintained in the product), and the years missing today (this year; from 1 December, next year).");
        years.MapGet("/{year:int}", GetYear).WithSummary("One year's holidays and its revision (0: bundled, not yet maintained).").ProducesProblem(404);
        years.MapGet("/{year:int}/file", ExportYear).WithSummary("One year in the calendar file format (workflows/calendar/<year>.json), to keep or edit and import again.").ProducesProblem(404);
        years.MapPut("/{year:int}", SaveYearAsync).RequireAuthorization(Policies.Admin).WithBodySizeLimit(MaxYearBytes)
            .WithSummary("Saves a year (body: the calendar file format) over ?revision= (what the editor started from; 0 for a year not maintained yet). ?fileName= records it as an import of that file.")
            .ProducesValidationProblem().ProducesProblem(409).ProducesProblem(415);
        years.MapGet("/changes", Changes).RequireAuthorization(Policies.Admin)
            .WithSummary("Who changed which year, when, and which dates (newest first; ?year= one year's, ?limit= at most 500).");

        app.MapGet("/api/calendar/holidays", Holidays).WithTags("Calendar")
            .WithSummary("National holidays and cuti bersama of a year (default: this year); covered=false when the year has no data.").ProducesValidationProblem();
        app.MapGet("/api/greetings/preview", Preview).WithTags("Calendar")
            .WithSummary("The opening and closing greetings ({salamPembuka}, {salamPenutup}) at an instant (default: now).");
        return app;
    }

    private static Results<Ok<HolidaysResponse>, ValidationProblem> Holidays(int? year, ContactCenterServiceCollectionExtensions.CalendarData calendar, Greeter greeter, TimeProvider clock)
    {
        var wanted = year ?? Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(greeter.Zone).Year;
        if (wanted is < 1900 or > 2200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["year"] = ["between 1900 and 2200"] });
        }

        var entries = calendar.Holidays.Entries
            .Where(e => e.Date.Year == wanted)
            .Select(View)
            .ToList();
        return TypedResults.Ok(new HolidaysResponse(wanted, calendar.Holidays.Covers(wanted), entries));
    }

    private static Ok<YearsResponse> ListYears(HolidayYears holidayYears, ContactCenterServiceCollectionExtensions.CalendarData calendar)
    {
        var coverage = holidayYears.Coverage(calendar.Calendar.Zone);
        var summaries = holidayYears.Summaries()
            .Select(y => new YearSummaryView(y.Year, y.Origin.ToString(), y.Source, y.Entries, y.Revision, y.ChangedBy, y.ChangedAt))
            .ToList();
        return TypedResults.Ok(new YearsResponse(summaries, coverage.MissingYears, coverage.Problem));
    }

    private static Results<Ok<YearView>, ProblemHttpResult> GetYear(int year, HolidayYears holidayYears) =>
        holidayYears.Find(year) is { } found
            ? TypedResults.Ok(new YearView(
                year,
                (found.Revision == 0 ? HolidayYearOrigin.Bundled : HolidayYearOrigin.Maintained).ToString(),
                found.Revision,
                found.Year.Source,
                [.. found.Year.Entries.OrderBy(e => e.Date).Select(View)]))
            : NoSuchYear(year);

    private static Results<ContentHttpResult, ProblemHttpResult> ExportYear(int year, HolidayYears holidayYears, HttpContext http)
    {
        if (holidayYears.Find(year) is not { } found)
        {
            return NoSuchYear(year);
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{year.ToString(CultureInfo.InvariantCulture)}.json\"";
        return TypedResults.Text(HolidayCalendarLoader.Write(found.Year) + "\n", "application/json", Encoding.UTF8);
    }

    private static async Task<Results<Ok<YearView>, ValidationProblem, ProblemHttpResult>> SaveYearAsync(
        int year, long? revision, string? fileName, HttpRequest request, CurrentUser actor, HolidayYears holidayYears, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (year is < 1900 or > 2200)
        {
            errors["year"] = ["between 1900 and 2200"];
        }

        if (revision is not { } expected || expected < 0)
        {
            errors["revision"] = ["the revision the change started from is required (0 for a year not maintained yet; GET /api/calendar/years/{year} gives it)"];
        }

        if (fileName is not null && (fileName.Length is 0 or > 200 || InputText.HasControlCharacters(fileName)))
        {
            errors["fileName"] = ["1 to 200 characters, no control characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported media type", detail: $"send the year as application/json in the calendar file format, not {mediaType ?? "no content type"}");
        }

        var (text, notText) = await RequestText.ReadUtf8Async(request, cancellationToken).ConfigureAwait(false);
        if (notText is not null)
        {
            return notText;
        }

        HolidayYear parsed;
        try
        {
            parsed = HolidayCalendarLoader.Parse(text!, fileName ?? $"{year.ToString(CultureInfo.InvariantCulture)}.json");
        }
        catch (CalendarDataException e)
        {
            var field = (e.Entry, e.Field) switch
            {
                (null, null) => "body",
                (null, { } f) => f,
                ({ } entry, null) => entry,
                ({ } entry, { } f) => $"{entry}.{f}",
            };
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [e.Message] });
        }

        if (parsed.Year != year)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["year"] = [$"the body gives {parsed.Year.ToString(CultureInfo.InvariantCulture)}, the address {year.ToString(CultureInfo.InvariantCulture)}"],
            });
        }

        var action = fileName is null ? "saved" : $"imported {fileName}";
        var outcome = await holidayYears.SaveAsync(parsed, revision!.Value, actor.UserName, action, cancellationToken).ConfigureAwait(false);
        return outcome.Saved is { } saved
            ? TypedResults.Ok(new YearView(year, HolidayYearOrigin.Maintained.ToString(), saved.Revision, saved.Year.Source, [.. saved.Year.Entries.OrderBy(e => e.Date).Select(View)]))
            : TypedResults.Problem(statusCode: 409, title: "Conflict", detail: outcome.Conflict);
    }

    private static async Task<Results<Ok<IReadOnlyList<ChangeView>>, ValidationProblem>> Changes(int? year, int? limit, IHolidayYearStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["limit"] = ["between 1 and 500"] });
        }

        var changes = await store.ChangesAsync(year, limit ?? 100, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<ChangeView>>([.. changes.Select(c => new ChangeView(c.Id, c.Year, c.Actor, c.At, c.Action, c.Details))]);
    }

    private static HolidayView View(HolidayEntry e) =>
        new(e.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture), e.Kind.ToString(), e.Name);

    private static ProblemHttpResult NoSuchYear(int year) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"there are no holidays for {year.ToString(CultureInfo.InvariantCulture)}: neither a bundled file nor a maintained year");

    private static Ok<GreetingPreview> Preview(DateTimeOffset? at, Greeter greeter, TimeProvider clock)
    {
        var instant = at ?? clock.GetUtcNow();
        var local = Instant.FromDateTimeOffset(instant).InZone(greeter.Zone);
        var variables = greeter.Variables(instant);
        return TypedResults.Ok(new GreetingPreview(
            instant,
            local.ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            greeter.Zone.Id,
            variables.SalamPembuka,
            variables.SalamPenutup,
            greeter.OpeningKind(instant),
            greeter.ClosingKind(instant)));
    }
}

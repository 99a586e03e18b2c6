using System.Globalization;
using ContactCenter.Hosting;
using ContactCenter.Modules.Greetings;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace ContactCenter.Server.Api;

/// <summary>The working calendar's days off, and the greetings an agent would read at a given instant.</summary>
public static class CalendarEndpoints
{
    public sealed record HolidayView(string Date, string Kind, string Name);

    public sealed record HolidaysResponse(int Year, bool Covered, IReadOnlyList<HolidayView> Holidays);

    public sealed record GreetingPreview(DateTimeOffset At, string LocalTime, string TimeZone, string SalamPembuka, string SalamPenutup, OpeningGreetingKind Opening, ClosingGreetingKind Closing);

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
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
            .Select(e => new HolidayView(e.Date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture), e.Kind.ToString(), e.Name))
            .ToList();
        return TypedResults.Ok(new HolidaysResponse(wanted, calendar.Holidays.Covers(wanted), entries));
    }

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

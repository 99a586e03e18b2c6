using System.Globalization;
using ContactCenter.Engine.Model;
using ContactCenter.Hosting;
using ContactCenter.Modules.Dashboard;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace ContactCenter.Server.Api;

/// <summary>
/// The Team Leader's dashboard: live conversations per channel and agent, open tickets per lane
/// and SLA status, a day's conversations per hour, and a flow's heatmap (how often each element
/// ran). Team leaders and admins only. Days and hours are local to the working calendar's zone
/// (Asia/Jakarta).
/// </summary>
public static partial class DashboardEndpoints
{
    /// <summary>The longest heatmap period.</summary>
    public const int MaxPeriodDays = 31;

    /// <summary>A flow's heatmap with the definition's name and the version in effect now (the one to draw when nothing ran).</summary>
    public sealed record HeatmapView(string DefinitionKey, string Name, string? Period, DateTimeOffset From, DateTimeOffset To, int Instances, int? VersionInEffect, IReadOnlyList<VersionElementCounts> Versions);

    private static readonly string[] Readers = [Roles.TeamLeader, Roles.Admin];

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("Dashboard")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers));
        group.MapGet("/overview", OverviewAsync)
            .WithSummary("Running conversations per channel and agent (oldest first, waiting on the customer or not), open tickets per lane and SLA status with those at risk or breached, and a day's conversations started and ended per local hour and channel (date=yyyy-MM-dd, default today, Asia/Jakarta).")
            .ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/heatmap", HeatmapAsync)
            .WithSummary("How many times each element of a flow was entered and each sequence flow taken, per pinned version, by the instances started in the period: period=today|7d|30d (local days, default today) or from/to (ISO 8601, at most 31 days).")
            .ProducesValidationProblem().ProducesProblem(403);
        return app;
    }


    private static TeamDashboard Dashboard(IInstanceQueries store, IReadModelStore readModels, TicketDesk desk, ContactCenterServiceCollectionExtensions.CalendarData calendar, TimeProvider clock) =>
        new(store, readModels, desk, calendar.Calendar.Zone, clock);

    private static async Task<Results<Ok<DashboardOverview>, ValidationProblem>> OverviewAsync(
        string? date,
        IInstanceQueries store,
        IReadModelStore readModels,
        DefinitionCatalog catalog,
        TicketDesk desk,
        ContactCenterServiceCollectionExtensions.CalendarData calendar,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        LocalDate? day = null;
        if (date is not null)
        {
            var parsed = LocalDatePattern.Iso.Parse(date);
            if (!parsed.Success)
            {
                return Invalid("date", $"'{date}' is not a date (yyyy-MM-dd)");
            }

            day = parsed.Value;
        }

        var dashboard = Dashboard(store, readModels, desk, calendar, clock);
        return TypedResults.Ok(await dashboard.OverviewAsync(day, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<HeatmapView>, ValidationProblem>> HeatmapAsync(
        string? definitionKey,
        string? period,
        string? from,
        string? to,
        IInstanceQueries store,
        IReadModelStore readModels,
        DefinitionCatalog catalog,
        TicketDesk desk,
        ContactCenterServiceCollectionExtensions.CalendarData calendar,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IReadOnlyList<DefinitionVersionRecord> versions = [];
        if (string.IsNullOrWhiteSpace(definitionKey))
        {
            errors["definitionKey"] = ["required: the flow's key (whatsapp, live-chat, ...)"];
        }
        else if (!DefinitionKeys.IsValid(definitionKey))
        {
            errors["definitionKey"] = [$"'{definitionKey}' is not a definition key"];
        }
        else
        {
            versions = await catalog.ListAsync(definitionKey, cancellationToken).ConfigureAwait(false);
            if (versions.Count == 0)
            {
                errors["definitionKey"] = [$"no definition '{definitionKey}'"];
            }
        }

        var dashboard = Dashboard(store, readModels, desk, calendar, clock);
        var today = dashboard.Today();
        DateTimeOffset since = default, until = default;
        if (period is not null && (from is not null || to is not null))
        {
            errors["period"] = ["give either period or from/to, not both"];
        }
        else if (period is not null || (from is null && to is null))
        {
            int? days = (period ?? "today") switch { "today" => 1, "7d" => 7, "30d" => 30, _ => null };
            if (days is null)
            {
                errors["period"] = [$"'{period}' is not a period (today, 7d, 30d)"];
            }
            else
            {
                // Whole local days, today included.
                since = dashboard.DayWindow(today.PlusDays(1 - days.Value)).Start;
                until = dashboard.DayWindow(today).End;
                period ??= "today";
            }
        }
        else
        {
            var parsedTo = to is null ? clock.GetUtcNow() : Parse("to", to, errors);
            var parsedFrom = from is null ? (parsedTo is { } t ? dashboard.DayWindow(Instant.FromDateTimeOffset(t).InZone(dashboard.Zone).Date).Start : null) : Parse("from", from, errors);
            if (parsedFrom is { } f && parsedTo is { } u)
            {
                if (u <= f)
                {
                    errors["to"] = ["must be after from"];
                }
                else if (u - f > TimeSpan.FromDays(MaxPeriodDays))
                {
                    errors["from"] = [$"the period is at most {MaxPeriodDays} days"];
                }

                (since, until) = (f, u);
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var heatmap = await dashboard.HeatmapAsync(definitionKey!, since, until, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var inEffect = versions
            .Where(v => v.Status == VersionStatus.Published && v.EffectiveFrom <= now)
            .OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.Version)
            .Select(v => (int?)v.Version).FirstOrDefault();
        var name = versions.OrderByDescending(v => v.Version).First().Name;
        return TypedResults.Ok(new HeatmapView(heatmap.DefinitionKey, name, period, heatmap.From, heatmap.To, heatmap.Instances, inEffect, heatmap.Versions));
    }

    private static DateTimeOffset? Parse(string field, string text, Dictionary<string, string[]> errors)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            if (DateBounds.IsSane(value))
            {
                return value;
            }

            errors[field] = [DateBounds.Message(value)];
            return null;
        }

        errors[field] = [$"'{text}' is not a date and time (ISO 8601, e.g. 2026-03-02T00:00:00+07:00)"];
        return null;
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
}

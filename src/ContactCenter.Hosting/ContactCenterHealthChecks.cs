using System.Globalization;
using ContactCenter.Modules.Calendar;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Storage;
using ContactCenter.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactCenter.Hosting;

/// <summary>What "ready" means for a node: each adapter checks itself; the host only lists them.</summary>
public static class ContactCenterHealthChecks
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// The database answers, the scheduler runs (or is off on purpose), the outbox holds no dead
    /// letters, the calendar has this year's holidays and, from 1 December, next year's (degraded otherwise).
    /// </summary>
    public static IHealthChecksBuilder AddContactCenterHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [ReadyTag])
            .AddCheck<CalendarHealthCheck>("calendar", tags: [ReadyTag]);
}

/// <summary>Degraded (still ready) while the outbox holds dead letters: someone has to look at them.</summary>
internal sealed class OutboxHealthCheck(IOutboxStore outbox) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var dead = await outbox.CountDeadLetteredAsync(cancellationToken).ConfigureAwait(false);
        return dead == 0
            ? HealthCheckResult.Healthy("no dead letters")
            : HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"{dead} dead letter(s) in the outbox: GET /api/admin/outbox/dead-letters"));
    }
}

/// <summary>
/// Degraded (still ready) while the holidays of this year, or from 1 December of next year, are
/// missing: deadlines and greetings would treat the holidays as working days, and nobody should
/// find out on 2 January.
/// </summary>
internal sealed class CalendarHealthCheck(HolidayYears years, ContactCenterServiceCollectionExtensions.CalendarData calendar) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var coverage = years.Coverage(calendar.Calendar.Zone);
        return Task.FromResult(coverage.Complete
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"holidays of {string.Join(", ", years.Live.CoveredYears)}"))
            : HealthCheckResult.Degraded(coverage.Problem));
    }
}

using System.Text.Json;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Storage;
using ContactCenter.Scheduling;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace ContactCenter.Server.Health;

/// <summary>Ready when the SQLite database answers a query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<ContactCenterDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var versions = await db.Database.SqlQueryRaw<int>("SELECT 1 AS Value").ToListAsync(cancellationToken).ConfigureAwait(false);
            return versions.Count == 1 ? HealthCheckResult.Healthy("the database answers") : HealthCheckResult.Unhealthy("the database gave no answer");
        }
    }
}

/// <summary>
/// Ready when the scheduler of the periodic work runs (started, not in standby, not shut down), or
/// when this node is set to run none of it (<c>ContactCenter:RunScheduler=false</c>).
/// </summary>
internal sealed class SchedulerHealthCheck(IServiceProvider services, TimerSchedulingOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.StartWithHost)
        {
            return HealthCheckResult.Healthy($"scheduler {options.SchedulerName} is off on this node: it fires no timers and delivers no outbox");
        }

        var factory = services.GetRequiredKeyedService<ISchedulerFactory>(options.SchedulerName);
        var scheduler = await factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        if (scheduler is null)
        {
            return HealthCheckResult.Unhealthy($"scheduler {options.SchedulerName} does not exist");
        }

        var status = await scheduler.GetStatus(cancellationToken).ConfigureAwait(false);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy($"scheduler {options.SchedulerName} is running")
            : HealthCheckResult.Unhealthy($"scheduler {options.SchedulerName} is {status}");
    }
}

/// <summary>Degraded (still ready) while the outbox holds dead letters: someone has to look at them.</summary>
internal sealed class OutboxHealthCheck(IOutboxStore outbox) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var dead = await outbox.CountDeadLetteredAsync(cancellationToken).ConfigureAwait(false);
        return dead == 0
            ? HealthCheckResult.Healthy("no dead letters")
            : HealthCheckResult.Degraded(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{dead} dead letter(s) in the outbox: GET /api/admin/outbox/dead-letters"));
    }
}

public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: [ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database, scheduler, outbox dead letters), both without sign-in.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
        return app;
    }

    /// <remarks>
    /// Anyone (a load balancer, a monitor) learns the overall status; only a signed-in administrator
    /// sees each check's description and error, which name files, schedulers and exception texts
    /// an anonymous caller has no business reading.
    /// </remarks>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        object body = context.User.IsInRole(Roles.Admin)
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, error = e.Value.Exception?.Message }),
            }
            : new { status = report.Status.ToString() };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}

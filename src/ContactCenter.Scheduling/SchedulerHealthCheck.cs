using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace ContactCenter.Scheduling;

/// <summary>
/// Ready when the scheduler of the periodic work runs (started, not in standby, not shut down), or
/// when this node is set to run none of it (<c>ContactCenter:RunScheduler=false</c>).
/// </summary>
public sealed class SchedulerHealthCheck(IServiceProvider services, TimerSchedulingOptions options) : IHealthCheck
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

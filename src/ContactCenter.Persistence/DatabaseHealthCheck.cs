using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactCenter.Persistence;

/// <summary>Ready when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ContactCenterDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var versions = await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").ToListAsync(cancellationToken).ConfigureAwait(false);
            return versions.Count == 1 ? HealthCheckResult.Healthy("the database answers") : HealthCheckResult.Unhealthy("the database gave no answer");
        }
    }
}

using System.Text.Json;
using ContactCenter.Hosting;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactCenter.Server.Health;

/// <summary>The HTTP edge of the health checks (registered by Hosting, each in its adapter).</summary>
public static class HealthEndpoints
{
    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database, scheduler, outbox dead letters), both without sign-in.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ContactCenterHealthChecks.ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
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

using System.Threading.RateLimiting;
using ContactCenter.Server.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Security;

/// <summary>
/// The ASP.NET Core rate limiter on sign-in: <see cref="ServerOptions.SignInAttemptsPerMinute"/>
/// attempts per client address per minute (a fixed window), answered beyond that with 429 and
/// <c>Retry-After</c>. It bounds spraying many user names from one address; the growing delay
/// per name and address is <see cref="SignInThrottle"/>.
/// </summary>
public static class SignInLimits
{
    /// <summary>The rate-limiter policy of the sign-in routes.</summary>
    public const string Policy = "sign-in";

    /// <summary>The client's address as the connection gives it (forwarded headers are not trusted: the server listens on loopback).</summary>
    public static string ClientAddress(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = AttemptsPerMinute(context), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                http.RequestServices.GetRequiredService<SecurityLog>().Denied(http, $"more than {AttemptsPerMinute(http)} sign-in attempts a minute from {ClientAddress(http)}");
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many sign-in attempts",
                        Detail = $"At most {AttemptsPerMinute(http)} sign-in attempts a minute from one address; try again in {seconds} s.",
                    },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }

    private static int AttemptsPerMinute(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.SignInAttemptsPerMinute;
}

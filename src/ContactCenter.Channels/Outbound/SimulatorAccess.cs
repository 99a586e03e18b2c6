using ContactCenter.Engine;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Channels.Outbound;

/// <summary>
/// Who may play a customer in the loopback simulator: an agent or an admin (the group's policy),
/// for a customer none of whose running conversations on the channel belongs to someone else. Anyone else is refused with
/// 403 and a security event (category <c>ContactCenter.Security</c>, as the server's own).
/// </summary>
internal static class SimulatorAccess
{
    public static async Task<IResult?> RefusalAsync(HttpContext http, IInstanceQueries queries, string channel, string customerRef)
    {
        var user = http.User.Identity?.Name ?? string.Empty;
        var running = await queries.QueryAsync(new InstanceQuery { Channel = channel, CustomerRef = customerRef, Status = InstanceStatus.Running, Limit = 20 }, http.RequestAborted).ConfigureAwait(false);
        if (running.FirstOrDefault(r => !string.Equals(r.Agent, user, StringComparison.OrdinalIgnoreCase)) is not { } other)
        {
            return null;
        }

        var reason = $"the {channel} conversation of {customerRef} belongs to {other.Agent ?? "no agent"}; only its agent plays its customer";
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ContactCenter.Security").LogWarning(
            "Denied {Method} {Path} to {UserName} ({Roles}): {Reason}", http.Request.Method, http.Request.Path.Value, user,
            string.Join(",", http.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)), reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: reason);
    }
}

using System.Security.Claims;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Channels.Notifications;

/// <summary>A notification as its readers get it, over the API and on the live stream.</summary>
/// <param name="Kind"><c>slaAlert</c>, <c>dispatchTicket</c>, <c>closeTicket</c> or <c>reservationRequest</c>.</param>
/// <param name="Title">A short line (Indonesian, from the flow).</param>
/// <param name="Reference">The customer the case is about, if any.</param>
public sealed record NotificationView(
    Guid Id,
    string Kind,
    string Title,
    string Text,
    Guid InstanceId,
    string? Reference,
    DateTimeOffset CreatedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt)
{
    public static NotificationView Of(NotificationRecord n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.Id, n.Kind, n.Title, n.Text, n.InstanceId, n.Reference, n.CreatedAt, n.AcknowledgedBy, n.AcknowledgedAt);
    }
}

/// <summary>Who reads which notification: a signed-in user holds the principals of <see cref="NotificationAudience"/>.</summary>
public static class NotificationReaders
{
    /// <summary>The claim that names a related team's unit (the server's <c>ClaimNames.Unit</c>).</summary>
    public const string UnitClaim = "contactcenter:unit";

    private const string RelatedTeamRole = "RelatedTeam";

    /// <summary>
    /// The principals of a signed-in user: their roles and their name, and their unit when they
    /// are a related team's (the unit a ticket is dispatched to).
    /// </summary>
    public static IReadOnlyList<string> PrincipalsOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return [];
        }

        var roles = user.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        var unit = roles.Contains(RelatedTeamRole) ? user.FindFirstValue(UnitClaim) : null;
        return NotificationAudience.Of(user.Identity.Name ?? "", roles, unit);
    }

    /// <summary>Whether <paramref name="notification"/> is for a reader holding <paramref name="principals"/>.</summary>
    public static bool IsFor(NotificationRecord notification, IReadOnlyCollection<string> principals)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return notification.Audience.Any(principals.Contains);
    }
}

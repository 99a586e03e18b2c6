using System.Security.Claims;
using ContactCenter.Channels.Notifications;
using ContactCenter.Modules.Tickets;

namespace ContactCenter.Channels.Live;

/// <summary>
/// Which events a signed-in user may see, the same as the REST routes let them read: Team
/// Leaders, Quality Control and Admins everything; Tier 2 every ticket instance (channel
/// <c>ticket</c>); a related team only the tickets dispatched to its unit; agents their own
/// conversations (the instance's <c>Agent</c> is their user name). Roles add up.
/// </summary>
internal sealed record LiveAudience(bool Everything, bool AllTickets, string? Unit, string? AgentName)
{
    /// <summary>The user's notification principals (<see cref="NotificationAudience"/>): a notification goes by its own audience.</summary>
    public IReadOnlySet<string> Principals { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public const string TicketChannel = "ticket";

    /// <summary>The claim that names a related team's unit (the server's <c>ClaimNames.Unit</c>).</summary>
    public const string UnitClaim = NotificationReaders.UnitClaim;

    public static LiveAudience For(ClaimsPrincipal user)
    {
        var everything = user.IsInRole("TeamLeader") || user.IsInRole("QualityControl") || user.IsInRole("Admin");
        var unit = user.IsInRole("RelatedTeam") ? user.FindFirstValue(UnitClaim) : null;
        var agent = user.IsInRole("Agent") ? user.Identity?.Name : null;
        return new LiveAudience(everything, user.IsInRole("Tier2"), string.IsNullOrWhiteSpace(unit) ? null : unit, string.IsNullOrEmpty(agent) ? null : agent)
        {
            Principals = NotificationReaders.PrincipalsOf(user).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Whether a notification with <paramref name="audience"/> is for this user.</summary>
    public bool Sees(IReadOnlyList<string> audience) => audience.Any(Principals.Contains);

    /// <param name="channel">The instance's channel.</param>
    /// <param name="agent">The instance's agent.</param>
    /// <param name="unit">For a ticket, the unit it was dispatched to (null before dispatch).</param>
    public bool Sees(string? channel, string? agent, string? unit) =>
        Everything
        || (string.Equals(channel, TicketChannel, StringComparison.Ordinal) && (AllTickets || (Unit is not null && TicketDesk.IsSameUnit(unit, Unit))))
        || (AgentName is not null && string.Equals(agent, AgentName, StringComparison.OrdinalIgnoreCase));
}

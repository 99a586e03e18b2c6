using System.Security.Claims;

namespace ContactCenter.Channels.Live;

/// <summary>
/// Which events a signed-in user may see: Team Leaders, Quality Control and Admins everything;
/// Tier 2 and related teams ticket instances (channel <c>ticket</c>); agents their own
/// conversations (the instance's <c>Agent</c> is their user name). Roles add up.
/// </summary>
internal sealed record LiveAudience(bool Everything, bool Tickets, string? AgentName)
{
    public const string TicketChannel = "ticket";

    public static LiveAudience For(ClaimsPrincipal user)
    {
        var everything = user.IsInRole("TeamLeader") || user.IsInRole("QualityControl") || user.IsInRole("Admin");
        var tickets = user.IsInRole("Tier2") || user.IsInRole("RelatedTeam");
        var agent = user.IsInRole("Agent") ? user.Identity?.Name : null;
        return new LiveAudience(everything, tickets, string.IsNullOrEmpty(agent) ? null : agent);
    }

    public bool Sees(string? channel, string? agent) =>
        Everything
        || (Tickets && string.Equals(channel, TicketChannel, StringComparison.Ordinal))
        || (AgentName is not null && string.Equals(agent, AgentName, StringComparison.OrdinalIgnoreCase));
}

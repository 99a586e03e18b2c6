using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;

namespace ContactCenter.Server.Api;

/// <summary>
/// Who may see and act on which instance: an agent only on the conversations that are theirs
/// (<see cref="InstanceRecord.Agent"/> is their user name); Tier 2, team leaders, QC and admins
/// read every one; only the agent acts on a task or a message; the agent, a team leader or an
/// admin cancels.
/// </summary>
public static class InstanceAccess
{
    public static bool IsOwner(CurrentUser user, InstanceRecord instance) =>
        instance.Agent is not null && string.Equals(instance.Agent, user.UserName, StringComparison.OrdinalIgnoreCase);

    public static bool ReadsAll(CurrentUser user) => user.IsInAnyRole(Policies.ReadAllConversationsRoles);

    public static bool CanRead(CurrentUser user, InstanceRecord instance) => ReadsAll(user) || (user.IsInRole(Roles.Agent) && IsOwner(user, instance));

    public static bool CanAct(CurrentUser user, InstanceRecord instance) => user.IsInRole(Roles.Agent) && IsOwner(user, instance);

    public static bool CanCancel(CurrentUser user, InstanceRecord instance) =>
        user.IsInRole(Roles.TeamLeader) || user.IsInRole(Roles.Admin) || CanAct(user, instance);
}

using ContactCenter.Engine;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Server.Security;

namespace ContactCenter.Server.Api;

/// <summary>
/// Who works a work item and who starts a flow, as the flows declare it: a lane's
/// <c>cc:performer</c> names the role that completes its tasks, a process's <c>cc:startableBy</c>
/// the roles that may start it by hand (docs/bpmn-subset.md). Nothing here knows an element id.
/// </summary>
public static class WorkItemAccess
{
    /// <summary>
    /// The performer of lanes in versions published before <c>cc:performer</c> existed, by lane
    /// name; a lane not listed is the agent's. Running instances stay pinned to such versions, so
    /// their tasks keep the rule they were started under.
    /// </summary>
    private static readonly Dictionary<string, string> LegacyLanePerformers = new(StringComparer.Ordinal)
    {
        ["Tier 2"] = Roles.Tier2,
        ["Pihak Terkait"] = Roles.RelatedTeam,
    };

    /// <summary>The role that works <paramref name="item"/>: its lane's <c>cc:performer</c> in the definition version its scope runs.</summary>
    public static async Task<string> PerformerAsync(DefinitionCatalog catalog, InstanceState state, WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(item);
        var node = await NodeAsync(catalog, state, item, cancellationToken).ConfigureAwait(false);
        return PerformerOf(node?.Performer, item.Lane);
    }

    /// <summary>The flow node behind a work item, in the definition version of its scope; null when it cannot be found.</summary>
    public static async Task<FlowNode?> NodeAsync(DefinitionCatalog catalog, InstanceState state, WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(item);
        if (state.ScopeOfToken(item.TokenId) is not { } scope)
        {
            return null;
        }

        var definition = await catalog.LoadAsync(scope.DefinitionKey, scope.DefinitionVersion, cancellationToken).ConfigureAwait(false);
        return definition.Nodes.GetValueOrDefault(item.ElementId);
    }

    /// <summary>A declared performer, else the legacy rule by lane name.</summary>
    public static string PerformerOf(string? declared, string? lane) =>
        declared ?? (lane is not null && LegacyLanePerformers.TryGetValue(lane, out var role) ? role : Roles.Agent);

    /// <summary>
    /// Whether <paramref name="user"/> works a task whose lane is <paramref name="performer"/>:
    /// the role itself, and for a related team also the unit the ticket went to.
    /// </summary>
    public static bool Works(CurrentUser user, string performer, string? unit) =>
        user.IsInRole(performer) && (performer != Roles.RelatedTeam || Modules.Tickets.TicketDesk.IsSameUnit(unit, user.Unit));

    /// <summary>Whether <paramref name="user"/> may start the definition in effect for <paramref name="key"/> by hand (its <c>cc:startableBy</c>).</summary>
    public static async Task<(bool Allowed, IReadOnlyList<string> StartableBy)> CanStartAsync(DefinitionCatalog catalog, CurrentUser user, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(user);
        var record = await catalog.GetInEffectAsync(key, at, cancellationToken).ConfigureAwait(false);
        var definition = await catalog.LoadAsync(record.Key, record.Version, cancellationToken).ConfigureAwait(false);
        return (definition.StartableBy.Any(user.IsInRole), definition.StartableBy);
    }
}

using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Exact replay for Quality Control: re-runs an instance's recorded inputs on its pinned
/// definition versions and reports whether every event equals the journal, or where it first
/// diverges. Reading only: QC, team leaders and admins.
/// </summary>
public static class ReplayEndpoints
{
    private static readonly string[] Readers = [Roles.QualityControl, Roles.TeamLeader, Roles.Admin];

    public static IEndpointRouteBuilder MapReplayEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/instances/{instanceId:guid}/replay", VerifyAsync)
            .WithTags("Journal")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("Replays the instance's journal on its pinned versions: matches, or the first divergence (sequence, expected, actual).")
            .ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<InstanceReplayReport>> VerifyAsync(Guid instanceId, InstanceReplayer replayer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await replayer.VerifyAsync(instanceId, cancellationToken).ConfigureAwait(false));
}

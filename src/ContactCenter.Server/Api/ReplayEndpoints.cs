using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Exact replay for Quality Control: re-runs an instance's recorded inputs on its pinned
/// definition versions and reports whether every event equals the journal, or where it first
/// diverges; the history stepped through (the state after every event, folded by the engine);
/// and the search over histories with their outcome and scorecard. Reading only: QC, team
/// leaders and admins.
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
        app.MapGet("/api/instances/{instanceId:guid}/replay/steps", StepsAsync)
            .WithTags("Journal")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("The history stepped through: every journal event with the state after it (folded by the engine), the path taken with visit counts, the conversation.")
            .ProducesProblem(403).ProducesProblem(404);
        app.MapQualityHistories(Readers);
        return app;
    }

    private static async Task<Ok<InstanceReplayReport>> VerifyAsync(Guid instanceId, InstanceReplayer replayer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await replayer.VerifyAsync(instanceId, cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<HistoryReplay.InstanceReplaySteps>> StepsAsync(Guid instanceId, HistoryReplay replay, CancellationToken cancellationToken) =>
        TypedResults.Ok(await replay.StepsAsync(instanceId, cancellationToken).ConfigureAwait(false));
}

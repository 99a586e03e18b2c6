using ContactCenter.Modules.Quality;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Quality Control's SOP scorecard of a conversation, its manual reviews, and the Team Leader's
/// aggregates per agent and team over a period. QC reviews; QC, team leaders and admins read.
/// </summary>
public static class QualityEndpoints
{
    public sealed record ReviewRequest(int? Score, string? Note);

    /// <summary>A conversation's scorecard with its manual reviews, oldest first.</summary>
    public sealed record ScorecardView(Guid InstanceId, Scorecard Scorecard, IReadOnlyList<QualityReview> Reviews);

    private static readonly string[] Readers = [Roles.QualityControl, Roles.TeamLeader, Roles.Admin];

    public static IEndpointRouteBuilder MapQualityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Quality");
        group.MapGet("/instances/{instanceId:guid}/scorecard", ScorecardAsync)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("The SOP scorecard of a conversation: each rule with its SOP source, outcome and journal evidence; and its manual reviews.")
            .ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/instances/{instanceId:guid}/reviews", ReviewAsync)
            .RequireAuthorization(Policies.QualityControl)
            .WithSummary("Quality Control's manual score (0-100) and note on a conversation.")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/quality/summary", SummaryAsync)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("Pass rate per rule, mean automatic and manual score, for the team and per agent, over [from, to).")
            .ProducesValidationProblem().ProducesProblem(403);
        return app;
    }

    private static async Task<Ok<ScorecardView>> ScorecardAsync(Guid instanceId, QualityService quality, CancellationToken cancellationToken)
    {
        var scorecard = await quality.ScorecardAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ScorecardView(instanceId, scorecard, await quality.ReviewsAsync(instanceId, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Created<QualityReview>, ValidationProblem>> ReviewAsync(Guid instanceId, ReviewRequest? request, CurrentUser user, QualityService quality, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request?.Score is not { } score || score < QualityReview.MinScore || score > QualityReview.MaxScore)
        {
            errors["score"] = [$"a whole number from {QualityReview.MinScore} to {QualityReview.MaxScore}"];
        }

        if (request?.Note is { Length: > QualityReview.MaxNoteLength })
        {
            errors["note"] = [$"at most {QualityReview.MaxNoteLength} characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var review = await quality.ReviewAsync(instanceId, user.UserName, request!.Score!.Value, request.Note, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/instances/{instanceId}/scorecard", review);
    }

    private static async Task<Results<Ok<QualitySummary>, ValidationProblem>> SummaryAsync(DateTimeOffset? from, DateTimeOffset? to, string? agent, QualityService quality, TimeProvider clock, CancellationToken cancellationToken)
    {
        var until = to ?? clock.GetUtcNow();
        var since = from ?? until.AddDays(-30);
        if (until <= since)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["to"] = ["must be after from"] });
        }

        return TypedResults.Ok(await quality.SummaryAsync(since, until, agent, cancellationToken).ConfigureAwait(false));
    }
}

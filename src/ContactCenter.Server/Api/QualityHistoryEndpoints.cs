using ContactCenter.Engine;
using ContactCenter.Modules.Quality;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>The HTTP edge of Quality Control's history search (<see cref="QualityHistories"/>): reads and checks the query string.</summary>
public static class QualityHistoryEndpoints
{
    internal static void MapQualityHistories(this IEndpointRouteBuilder app, string[] readers) =>
        app.MapGet("/api/quality/histories", SearchAsync)
            .WithTags("Quality")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(readers))
            .WithSummary("Histories for QC (conversations and tickets), newest first: filter by kind (conversation, ticket), agent, channel, status, start date [from, to) and outcome (silence, ticket); each with end reason, silence close, tickets, automatic score (a ticket's from its own rules, SOP steps 12-19) and latest review.")
            .ProducesValidationProblem().ProducesProblem(403);

    private static async Task<Results<Ok<IReadOnlyList<QualityHistories.HistoryRow>>, ValidationProblem>> SearchAsync(
        string? agent,
        string? channel,
        string? status,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? outcome,
        string? kind,
        int? limit,
        QualityHistories histories,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        InstanceStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) && s != InstanceStatus.NotStarted)
            {
                parsedStatus = s;
            }
            else
            {
                errors["status"] = [$"'{status}' is not one of Running, Completed, Cancelled, Faulted"];
            }
        }

        if (!string.IsNullOrEmpty(outcome) && !QualityHistories.Outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            errors["outcome"] = [$"'{outcome}' is not one of {string.Join(", ", QualityHistories.Outcomes)}"];
        }

        if (!string.IsNullOrEmpty(kind) && !QualityHistories.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors["kind"] = [$"'{kind}' is not one of {string.Join(", ", QualityHistories.Kinds)}"];
        }

        if (limit is < 1 or > 200)
        {
            errors["limit"] = ["between 1 and 200"];
        }

        if (from is not null && to is not null && to < from)
        {
            errors["to"] = ["'to' is before 'from'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await histories.SearchAsync(new QualityHistoryQuery(agent, channel, parsedStatus, from, to, outcome, limit ?? 50) { Kind = string.IsNullOrEmpty(kind) ? null : kind }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(rows);
    }
}

using ContactCenter.Engine.Journal;
using ContactCenter.Modules.Quality.WhatIf;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// What-if replay: recorded conversations against other definition versions (a draft, say),
/// one or in bulk over a period. Reading only: nothing is written.
/// </summary>
public static class WhatIfEndpoints
{
    private static readonly string[] Readers = [Roles.QualityControl, Roles.TeamLeader, Roles.ProcessOwner, Roles.Reviewer, Roles.Approver, Roles.Admin];

    /// <summary>The candidate versions, by key: <c>{"still-connected": 2}</c>.</summary>
    public sealed record CandidateBody(IReadOnlyDictionary<string, int> Candidate);

    /// <summary>A period's conversations against the candidate.</summary>
    public sealed record BatchBody(IReadOnlyDictionary<string, int> Candidate, string? DefinitionKey, string? Channel, DateTimeOffset? StartedFrom, DateTimeOffset? StartedTo, int? Limit);

    public static IEndpointRouteBuilder MapWhatIfEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/instances/{instanceId:guid}/what-if", OneAsync)
            .WithTags("Journal")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("Runs the conversation's recorded inputs against the candidate versions: first divergence, outcome shifts, inputs that no longer fit, the candidate's journal (the journal, agent and input texts only for roles that read conversations).")
            .ProducesProblem(403).ProducesProblem(404);
        app.MapGet("/api/definitions/{key}/versions/{version:int}/samples", SamplesAsync)
            .WithTags("Definitions")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("The sample conversations (samples/conversations/<flow>/) simulated against this version, the other flows at the versions in effect now: pass or fail per sample, why, and the path through the version. Nothing is written.")
            .ProducesProblem(403).ProducesProblem(404);
        app.MapPost("/api/what-if", ManyAsync)
            .WithTags("Journal")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Readers))
            .WithSummary("What-if over the conversations of a period (at most 500 unless limit says less): each one's report without the candidate journal, and the summary.")
            .ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<InstanceWhatIf>> OneAsync(Guid instanceId, CandidateBody body, CurrentUser user, DefinitionCatalog catalog, IInstanceStore store, IInstanceQueries queries, CancellationToken cancellationToken)
    {
        var report = await new WhatIfRunner(catalog, store, queries).RunAsync(instanceId, body.Candidate ?? new Dictionary<string, int>(), null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(InstanceAccess.ReadsAll(user) ? report : Structural(report));
    }

    private static async Task<Ok<SampleRunReport>> SamplesAsync(string key, int version, SampleSimulations samples, CancellationToken cancellationToken) =>
        TypedResults.Ok(await samples.RunAsync(key, version, cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<WhatIfBatchReport>> ManyAsync(BatchBody body, CurrentUser user, DefinitionCatalog catalog, IInstanceStore store, IInstanceQueries queries, CancellationToken cancellationToken)
    {
        var batch = await new WhatIfRunner(catalog, store, queries).RunManyAsync(
            new WhatIfRequest
            {
                Candidate = body.Candidate ?? new Dictionary<string, int>(),
                DefinitionKey = body.DefinitionKey,
                Channel = body.Channel,
                StartedFrom = body.StartedFrom,
                StartedTo = body.StartedTo,
                Limit = Math.Clamp(body.Limit ?? 500, 1, 500),
            },
            cancellationToken).ConfigureAwait(false);

        // The candidate journals of a whole period would make the answer huge; one instance's is a call away.
        var readsAll = InstanceAccess.ReadsAll(user);
        var slim = batch.Conversations
            .Select(c => c with { Report = c.Report is null ? null : c.Report with { CandidateJournal = Array.Empty<WorkflowEvent>() } })
            .Select(c => readsAll ? c : Structural(c))
            .ToList();
        return TypedResults.Ok(batch with { Conversations = slim });
    }

    /// <summary>
    /// What a role that may not read conversations (process owners, reviewers, approvers: the
    /// journal route refuses them) gets: the comparison of paths and outcomes, without the
    /// candidate journal, the agent, or the recorded inputs' text (a customer's message, a
    /// cancel reason): each misfit keeps only its kind of input and its element.
    /// </summary>
    internal static InstanceWhatIf Structural(InstanceWhatIf whatIf) => whatIf with
    {
        Agent = null,
        Report = whatIf.Report is null ? null : whatIf.Report with
        {
            CandidateJournal = Array.Empty<WorkflowEvent>(),
            Misfits = [.. whatIf.Report.Misfits.Select(m => m with { Input = m.Input.Split(' ', 2)[0] })],
        },
    };
}

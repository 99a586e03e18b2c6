using ContactCenter.Engine;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Moving running instances between versions of a flow: a process owner proposes (the mapping
/// derived from ids and purposes, completed by hand), a dry run says per instance whether it can
/// move, an approver who is not the proposer approves, and the move is applied and journaled.
/// The roles are the definition workflow's: process owners propose, approvers approve, and
/// whoever may publish a version may apply an approved move.
/// </summary>
public static class MigrationEndpoints
{
    /// <summary>A proposal: the versions, the instances, and the entries of the mapping that differ from the derived one (an empty target removes an entry).</summary>
    public sealed record ProposeRequest(string? DefinitionKey, int? FromVersion, int? ToVersion, Dictionary<string, string>? Mapping, List<Guid>? InstanceIds, string? Note);

    /// <summary>An element of a version, for completing a mapping by hand.</summary>
    public sealed record ElementView(string Id, string? Name, string Kind, IReadOnlyList<string> Purposes);

    /// <summary>The mapping two versions suggest, and the elements of both.</summary>
    public sealed record MappingView(
        string DefinitionKey,
        int FromVersion,
        int ToVersion,
        IReadOnlyDictionary<string, string> Mapping,
        IReadOnlyDictionary<string, string> MatchedBy,
        IReadOnlyList<string> Unmapped,
        IReadOnlyList<ElementView> FromElements,
        IReadOnlyList<ElementView> ToElements);

    /// <summary>A running instance that could be moved.</summary>
    public sealed record CandidateView(Guid Id, string DefinitionKey, int DefinitionVersion, string Channel, string? Agent, string? CustomerRef, DateTimeOffset StartedAt, long Version);

    /// <summary>A proposal with its trail: who proposed, dry-ran, decided and applied it, and what each step found.</summary>
    public sealed record MigrationView(
        Guid Id,
        string DefinitionKey,
        int FromVersion,
        int ToVersion,
        string Status,
        IReadOnlyDictionary<string, string> Mapping,
        IReadOnlyList<Guid> InstanceIds,
        string ProposedBy,
        DateTimeOffset ProposedAt,
        string? Note,
        string? DryRunBy,
        DateTimeOffset? DryRunAt,
        IReadOnlyList<MigrationOutcome>? DryRun,
        string? DecidedBy,
        DateTimeOffset? DecidedAt,
        string? AppliedBy,
        DateTimeOffset? AppliedAt,
        IReadOnlyList<MigrationOutcome>? Result)
    {
        internal static MigrationView Of(MigrationProposal p) => new(
            p.Record.Id,
            p.Record.DefinitionKey,
            p.Record.FromVersion,
            p.Record.ToVersion,
            p.Record.Status.ToString(),
            p.Mapping,
            p.InstanceIds,
            p.Record.ProposedBy,
            p.Record.ProposedAt,
            p.Record.Note,
            p.Record.DryRunBy,
            p.Record.DryRunAt,
            p.DryRun,
            p.Record.DecidedBy,
            p.Record.DecidedAt,
            p.Record.AppliedBy,
            p.Record.AppliedAt,
            p.Result);
    }

    private static readonly string[] DesignerRoles = [Roles.ProcessOwner, Roles.Reviewer, Roles.Approver, Roles.Admin];

    public static IEndpointRouteBuilder MapMigrationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/migrations").WithTags("Migrations");
        var designers = new Action<Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder>(p => p.RequireAuthenticatedUser().RequireRole(DesignerRoles));
        group.MapGet("/", ListAsync).RequireAuthorization(designers).WithSummary("Every proposal to move instances (of one key with ?key=), newest first.");
        group.MapGet("/mapping", MappingAsync).RequireAuthorization(designers)
            .WithSummary("The mapping two versions suggest (?key=&from=&to=): by id, then by declared purpose; what is left to map by hand; the elements of both.")
            .ProducesValidationProblem().ProducesProblem(404);
        group.MapGet("/candidates", CandidatesAsync).RequireAuthorization(designers)
            .WithSummary("Running instances on a version (?key=&version=), as their flow or a flow they call.").ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(designers).WithSummary("One proposal with its dry run and result.").ProducesProblem(404);
        group.MapPost("/", ProposeAsync).RequireAuthorization(Policies.ProcessOwner)
            .WithSummary("A process owner proposes moving instances from one version to a published one; a mapping to a missing element or one of another kind is refused (422) naming it.")
            .ProducesValidationProblem().ProducesValidationProblem(422).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/dry-run", DryRunAsync).RequireAuthorization(designers)
            .WithSummary("Checks every chosen instance, moving nothing: whether it can move and why not. A new dry run clears an approval.").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/approve", ApproveAsync).RequireAuthorization(Policies.Approver)
            .WithSummary("An approver who is not the proposer approves a proposal after its dry run.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/reject", RejectAsync).RequireAuthorization(Policies.Approver)
            .WithSummary("An approver who is not the proposer turns a proposal down; nothing moves.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/apply", ApplyAsync).RequireAuthorization(Policies.PublishDefinitions)
            .WithSummary("Applies an approved proposal: each instance still where the dry run saw it moves in one commit of its own; the others are refused, naming why.")
            .ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static async Task<Ok<List<MigrationView>>> ListAsync(string? key, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok((await migrations.ListAsync(key, cancellationToken).ConfigureAwait(false)).Select(MigrationView.Of).ToList());

    private static async Task<Results<Ok<MappingView>, ValidationProblem>> MappingAsync(string? key, int? from, int? to, InstanceMigrations migrations, Runtime.Definitions.DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        if (Missing(("key", key is null), ("from", from is null), ("to", to is null)) is { } invalid)
        {
            return invalid;
        }

        var derived = await migrations.DeriveAsync(key!, from!.Value, to!.Value, cancellationToken).ConfigureAwait(false);
        var a = await catalog.LoadAsync(key!, from.Value, cancellationToken).ConfigureAwait(false);
        var b = await catalog.LoadAsync(key!, to.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new MappingView(key!, from.Value, to.Value, derived.Mapping, derived.MatchedBy, derived.Unmapped, Elements(a), Elements(b)));
    }

    private static List<ElementView> Elements(Engine.Model.WorkflowDefinition definition) =>
        [.. definition.Nodes.Values.OrderBy(n => n.Line).Select(n => new ElementView(n.Id, n.Name, n.ElementName, n.Purposes))];

    private static async Task<Results<Ok<List<CandidateView>>, ValidationProblem>> CandidatesAsync(string? key, int? version, InstanceMigrations migrations, CancellationToken cancellationToken)
    {
        if (Missing(("key", key is null), ("version", version is null)) is { } invalid)
        {
            return invalid;
        }

        var running = await migrations.CandidatesAsync(key!, version!.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(running.Select(r => new CandidateView(r.Id, r.DefinitionKey, r.DefinitionVersion, r.Channel, r.Agent, r.CustomerRef, r.StartedAt, r.Version)).ToList());
    }

    private static async Task<Ok<MigrationView>> GetAsync(Guid id, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok(MigrationView.Of(await migrations.GetAsync(id, cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Created<MigrationView>, ValidationProblem>> ProposeAsync(ProposeRequest request, CurrentUser user, InstanceMigrations migrations, CancellationToken cancellationToken)
    {
        if (Missing(("definitionKey", string.IsNullOrWhiteSpace(request.DefinitionKey)), ("fromVersion", request.FromVersion is null), ("toVersion", request.ToVersion is null), ("instanceIds", request.InstanceIds is not { Count: > 0 })) is { } invalid)
        {
            return invalid;
        }

        var proposal = await migrations.ProposeAsync(request.DefinitionKey!, request.FromVersion!.Value, request.ToVersion!.Value, request.Mapping, request.InstanceIds!, user.UserName, request.Note, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/migrations/{proposal.Record.Id}", MigrationView.Of(proposal));
    }

    private static async Task<Ok<MigrationView>> DryRunAsync(Guid id, CurrentUser user, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok(MigrationView.Of(await migrations.DryRunAsync(id, user.UserName, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<MigrationView>> ApproveAsync(Guid id, CurrentUser user, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok(MigrationView.Of(await migrations.ApproveAsync(id, user.UserName, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<MigrationView>> RejectAsync(Guid id, CurrentUser user, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok(MigrationView.Of(await migrations.RejectAsync(id, user.UserName, cancellationToken).ConfigureAwait(false)));

    private static async Task<Ok<MigrationView>> ApplyAsync(Guid id, CurrentUser user, InstanceMigrations migrations, CancellationToken cancellationToken) =>
        TypedResults.Ok(MigrationView.Of(await migrations.ApplyAsync(id, user.UserName, cancellationToken).ConfigureAwait(false)));

    private static ValidationProblem? Missing(params (string Field, bool IsMissing)[] fields)
    {
        var errors = fields.Where(f => f.IsMissing).ToDictionary(f => f.Field, f => new[] { $"{f.Field} is required" }, StringComparer.Ordinal);
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors);
    }
}

using System.Text;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Definitions;
using ContactCenter.Server.Hosting;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Api;

/// <summary>The definition catalogue: versions, BPMN, the maker/checker/approver lifecycle, publish, retire, diff.</summary>
public static class DefinitionEndpoints
{
    /// <summary>Publishing: when new instances start binding to the version. Default is now.</summary>
    public sealed record PublishRequest(DateTimeOffset? EffectiveFrom);

    /// <summary>Sending a version in review back to its maker: what to change.</summary>
    public sealed record ReturnRequest(string? Note);

    /// <summary>One problem of a definition: the element (when there is one), the line of the XML, the message, and all three as one text.</summary>
    public sealed record ProblemView(string? ElementId, int Line, string Message, string Text);

    /// <summary>The validator's verdict on a BPMN document that was not stored.</summary>
    /// <summary>The verdict; <see cref="Problems"/> lists at most <see cref="ApiExceptionHandler.MaxProblemsListed"/>, <see cref="TotalProblems"/> counts them all.</summary>
    public sealed record ValidationView(bool Valid, string? Key, IReadOnlyList<ProblemView> Problems)
    {
        public int TotalProblems { get; init; }
    }

    private static readonly string[] DesignerRoles = [Roles.ProcessOwner, Roles.Reviewer, Roles.Approver, Roles.Admin];
    private static readonly string[] ReturnRoles = [Roles.Reviewer, Roles.Approver];
    private static readonly string[] XmlContentTypes = ["application/xml", "text/xml", "application/bpmn+xml"];

    public static IEndpointRouteBuilder MapDefinitionEndpoints(this IEndpointRouteBuilder app)
    {
        var settings = app.ServiceProvider.GetRequiredService<IOptions<ServerOptions>>().Value;
        var group = app.MapGroup("/api/definitions").WithTags("Definitions");
        group.MapGet("/", ListAsync).WithSummary("Every definition key with its versions, their status, and the version in effect now.");
        group.MapGet("/{key}", GetKeyAsync).WithSummary("One key with its versions.").ProducesProblem(404);
        group.MapGet("/{key}/versions/{version:int}", GetVersionAsync).WithSummary("One version's metadata.").ProducesProblem(404);
        group.MapGet("/{key}/versions/{version:int}/bpmn", GetBpmnAsync).WithSummary("One version's BPMN XML, exactly as stored.")
            .Produces<string>(200, "application/xml").ProducesProblem(404);
        group.MapPost("/", CreateDraftAsync).RequireAuthorization(Policies.ProcessOwner).WithBodySizeLimit(settings.MaxBpmnBodyBytes)
            .WithSummary("Creates the next version of the BPMN's key as a draft (body: the BPMN XML; the signed-in user is the maker).")
            .Accepts<string>("application/xml").ProducesValidationProblem(422).ProducesProblem(415).ProducesProblem(413);
        group.MapPost("/validate", ValidateAsync).RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(DesignerRoles)).WithBodySizeLimit(settings.MaxBpmnBodyBytes)
            .WithSummary("Validates a BPMN document exactly as a new draft would be (parser, validator, called definitions) and stores nothing.")
            .Accepts<string>("application/xml").Produces<ValidationView>().ProducesProblem(415).ProducesProblem(413);
        group.MapPost("/{key}/versions/{version:int}/submit", SubmitAsync).RequireAuthorization(Policies.ProcessOwner)
            .WithSummary("The maker submits a draft for review.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{key}/versions/{version:int}/check", CheckAsync).RequireAuthorization(Policies.Reviewer)
            .WithSummary("A checker (not the maker) checks a version in review.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{key}/versions/{version:int}/return", ReturnAsync).RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(ReturnRoles))
            .WithSummary("A checker or approver (not the maker) sends a version in review back to its maker as a draft, with a note; the check is cleared.")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{key}/versions/{version:int}/approve", ApproveAsync).RequireAuthorization(Policies.Approver)
            .WithSummary("An approver (neither maker nor checker) approves a checked version.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{key}/versions/{version:int}/publish", PublishAsync).RequireAuthorization(Policies.PublishDefinitions)
            .WithSummary("Publishes an approved version with an effective date (default now).").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{key}/versions/{version:int}/retire", RetireAsync).RequireAuthorization(Policies.PublishDefinitions)
            .WithSummary("Retires a published version: no new instance starts on it; running ones go on.").ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{key}/diff", DiffAsync)
            .WithSummary("The structural difference of two versions: elements and flows added, removed and changed by id, with their attributes (cc: among them).")
            .ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<DefinitionSummary>>> ListAsync(DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TypedResults.Ok(presenter.Summaries(await catalog.ListAsync(null, cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Ok<DefinitionSummary>, ProblemHttpResult>> GetKeyAsync(string key, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken)
    {
        var versions = await catalog.ListAsync(key, cancellationToken).ConfigureAwait(false);
        return versions.Count == 0
            ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"there is no definition '{key}'")
            : TypedResults.Ok(presenter.Summaries(versions)[0]);
    }

    private static async Task<Ok<DefinitionVersionView>> GetVersionAsync(string key, int version, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(catalog, presenter, key, version, cancellationToken).ConfigureAwait(false));

    private static async Task<ContentHttpResult> GetBpmnAsync(string key, int version, DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        var record = await catalog.GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        return TypedResults.Text(record.Bpmn, "application/xml", Encoding.UTF8);
    }

    private static async Task<(string? Bpmn, ProblemHttpResult? Problem)> ReadBpmnAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !XmlContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(statusCode: 415, title: "Unsupported media type", detail: $"send the BPMN XML as {string.Join(" or ", XmlContentTypes)}, not {mediaType ?? "no content type"}"));
        }

        var (bpmn, notText) = await RequestText.ReadUtf8Async(request, cancellationToken).ConfigureAwait(false);
        if (notText is not null)
        {
            return (null, notText);
        }

        return string.IsNullOrWhiteSpace(bpmn)
            ? (null, TypedResults.Problem(statusCode: 400, title: "Empty body", detail: "the body must be the BPMN XML of the draft"))
            : (bpmn, null);
    }

    /// <summary>
    /// The checks of <see cref="DefinitionCatalog.CreateDraftAsync"/> without storing: the secure
    /// parser and the validator, then (only for a valid document, as there) the catalogue's own:
    /// the flow contracts of the modules, the kept flow kind, called definitions published.
    /// </summary>
    private static async Task<Results<Ok<ValidationView>, ProblemHttpResult>> ValidateAsync(HttpRequest request, DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        var (bpmn, problem) = await ReadBpmnAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var result = BpmnParser.Parse(bpmn!, "draft.bpmn");
        var problems = result.Problems.ToList();
        if (result.IsValid)
        {
            problems.AddRange(await catalog.DraftProblemsAsync(result.Definition!, cancellationToken).ConfigureAwait(false));
        }

        var views = problems.Take(ApiExceptionHandler.MaxProblemsListed).Select(p => new ProblemView(p.ElementId, p.Line, p.Message, p.ToString())).ToList();
        return TypedResults.Ok(new ValidationView(problems.Count == 0, result.Definition?.Key, views) { TotalProblems = problems.Count });
    }

    private static async Task<Results<Created<DefinitionVersionView>, ProblemHttpResult>> CreateDraftAsync(
        HttpRequest request,
        string? changeNote,
        string? documentCode,
        string? revision,
        CurrentUser user,
        DefinitionCatalog catalog,
        DefinitionPresenter presenter,
        CancellationToken cancellationToken)
    {
        var (bpmn, problem) = await ReadBpmnAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var draft = await catalog.CreateDraftAsync(bpmn!, user.UserName, changeNote, documentCode, revision, cancellationToken).ConfigureAwait(false);
        var view = presenter.View(draft, await catalog.ListAsync(draft.Key, cancellationToken).ConfigureAwait(false));
        return TypedResults.Created($"/api/definitions/{Uri.EscapeDataString(draft.Key)}/versions/{draft.Version}", view);
    }

    private static Task<Ok<DefinitionVersionView>> SubmitAsync(string key, int version, CurrentUser user, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TransitionAsync(catalog, presenter, catalog.SubmitAsync(key, version, user.UserName, cancellationToken), cancellationToken);

    private static Task<Ok<DefinitionVersionView>> CheckAsync(string key, int version, CurrentUser user, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TransitionAsync(catalog, presenter, catalog.CheckAsync(key, version, user.UserName, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<DefinitionVersionView>, ValidationProblem>> ReturnAsync(string key, int version, ReturnRequest? request, CurrentUser user, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Note))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["note"] = ["a version goes back to its maker with a note saying what to change"],
            });
        }

        return await TransitionAsync(catalog, presenter, catalog.ReturnToDraftAsync(key, version, user.UserName, request.Note, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static Task<Ok<DefinitionVersionView>> ApproveAsync(string key, int version, CurrentUser user, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TransitionAsync(catalog, presenter, catalog.ApproveAsync(key, version, user.UserName, cancellationToken), cancellationToken);

    private static Task<Ok<DefinitionVersionView>> PublishAsync(string key, int version, PublishRequest? request, DefinitionCatalog catalog, DefinitionPresenter presenter, TimeProvider clock, CancellationToken cancellationToken) =>
        TransitionAsync(catalog, presenter, catalog.PublishAsync(key, version, request?.EffectiveFrom ?? clock.GetUtcNow(), cancellationToken), cancellationToken);

    private static Task<Ok<DefinitionVersionView>> RetireAsync(string key, int version, DefinitionCatalog catalog, DefinitionPresenter presenter, CancellationToken cancellationToken) =>
        TransitionAsync(catalog, presenter, catalog.RetireAsync(key, version, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<DefinitionDiff>, ValidationProblem>> DiffAsync(string key, int? from, int? to, DefinitionCatalog catalog, CancellationToken cancellationToken)
    {
        if (from is null || to is null)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (from is null)
            {
                errors["from"] = ["the version to compare from is required (?from=1&to=2)"];
            }

            if (to is null)
            {
                errors["to"] = ["the version to compare to is required (?from=1&to=2)"];
            }

            return TypedResults.ValidationProblem(errors);
        }

        var a = await catalog.GetAsync(key, from.Value, cancellationToken).ConfigureAwait(false);
        var b = await catalog.GetAsync(key, to.Value, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(BpmnStructuralDiff.Compare(key, a.Version, a.Bpmn, b.Version, b.Bpmn));
    }

    private static async Task<Ok<DefinitionVersionView>> TransitionAsync(DefinitionCatalog catalog, DefinitionPresenter presenter, Task<Runtime.Storage.DefinitionVersionRecord> transition, CancellationToken cancellationToken)
    {
        var record = await transition.ConfigureAwait(false);
        return TypedResults.Ok(presenter.View(record, await catalog.ListAsync(record.Key, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<DefinitionVersionView> ViewAsync(DefinitionCatalog catalog, DefinitionPresenter presenter, string key, int version, CancellationToken cancellationToken)
    {
        var record = await catalog.GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        return presenter.View(record, await catalog.ListAsync(key, cancellationToken).ConfigureAwait(false));
    }
}

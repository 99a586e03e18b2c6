using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Calendar;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Complaint tickets (SOP steps 12-19): queues per role, a ticket with its notes and SLA, notes,
/// dispatch to a related team, close, the ticket's own tasks, and the SLA pause and extension.
/// Tier 2 works the Tier 2 lane; a related team works the tickets dispatched to its unit; team
/// leaders, Quality Control and admins read every ticket; QC changes nothing.
/// </summary>
public static class TicketEndpoints
{
    public sealed record NoteRequest(string? Text);

    public sealed record DispatchRequest(string? Unit, string? Note = null, long? ExpectedVersion = null);

    public sealed record CloseRequest(string? Memo, long? ExpectedVersion = null);

    public sealed record SlaChangeRequest(string? Reason);

    /// <summary>A ticket with its open task (as the console shows it), SLA and notes.</summary>
    public sealed record TicketView(TicketSummary Ticket, long Version, IReadOnlyList<TaskView> Tasks, IReadOnlyList<TicketNote> Notes);

    /// <summary>The SLA of a ticket, with its colour for the queue: on-track, at-risk or breached.</summary>
    public sealed record SlaView(Guid TicketId, string Policy, string Colour, TicketSlaState State);

    private const int MaxText = 4000;

    /// <summary>Who reads tickets: Tier 2, related teams (their unit's, checked per ticket), team leaders, QC, admins.</summary>
    private static readonly string[] ReadTickets = [Roles.Tier2, Roles.RelatedTeam, Roles.TeamLeader, Roles.QualityControl, Roles.Admin];

    /// <summary>Who works tickets: Tier 2 and related teams (their unit's, checked per ticket).</summary>
    private static readonly string[] WorkTickets = [Roles.Tier2, Roles.RelatedTeam];

    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tickets").WithTags("Tickets");
        static void RequireAny(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy, string[] roles) => policy.RequireAuthenticatedUser().RequireRole(roles);
        group.MapGet("/", QueueAsync).RequireAuthorization(p => RequireAny(p, ReadTickets))
            .WithSummary("A queue of open tickets, most urgent first: queue=tier2 or related (a related team sees only its unit's).")
            .ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/{ticketId:guid}", GetAsync).RequireAuthorization(p => RequireAny(p, ReadTickets))
            .WithSummary("A ticket with its open task, SLA and notes.").ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/{ticketId:guid}/sla", SlaAsync).RequireAuthorization(p => RequireAny(p, ReadTickets))
            .WithSummary("The ticket's SLA clock now: status, dues, pauses, extension.").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{ticketId:guid}/notes", NoteAsync).RequireAuthorization(p => RequireAny(p, WorkTickets))
            .WithSummary("Adds a note/memo to an open ticket (journaled).").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/dispatch", DispatchAsync).RequireAuthorization(Policies.Tier2)
            .WithSummary("Tier 2 dispatches the ticket to a related team's unit (step 14a).").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/close", CloseAsync).RequireAuthorization(Policies.Tier2)
            .WithSummary("Tier 2 closes the ticket with its memo (step 15).").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/tasks/{taskId:long}/complete", CompleteAsync).RequireAuthorization(p => RequireAny(p, WorkTickets))
            .WithSummary("Completes the ticket's open task in the caller's lane (a related team's steps 16-19).").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/sla/pause", PauseAsync).RequireAuthorization(Policies.Tier2)
            .WithSummary("Stops the SLA clock while the ticket waits on the customer.").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/sla/resume", ResumeAsync).RequireAuthorization(Policies.Tier2)
            .WithSummary("Starts the SLA clock again.").ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{ticketId:guid}/sla/extend", ExtendAsync).RequireAuthorization(Policies.Tier2)
            .WithSummary("The one extension of the resolution target (OJK), with its reason.").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<TicketSummary>>, ValidationProblem, ProblemHttpResult>> QueueAsync(
        string? queue, string? unit, HttpContext context, CurrentUser user, TicketDesk desk, SecurityLog security, CancellationToken cancellationToken)
    {
        TicketQueue which;
        switch (queue?.Trim().ToUpperInvariant())
        {
            case null or "":
                which = user.IsInRole(Roles.RelatedTeam) && !user.IsInRole(Roles.Tier2) ? TicketQueue.RelatedTeam : TicketQueue.Tier2;
                break;
            case "TIER2":
                which = TicketQueue.Tier2;
                break;
            case "RELATED":
                which = TicketQueue.RelatedTeam;
                break;
            default:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["queue"] = ["tier2 or related"] });
        }

        if (user.IsInRole(Roles.RelatedTeam) && !ReadsAllTickets(user))
        {
            if (which == TicketQueue.Tier2)
            {
                return security.Forbid(context, $"{user.UserName} is in a related team and sees only the tickets dispatched to its unit");
            }

            if (unit is not null && !TicketDesk.IsSameUnit(unit, user.Unit))
            {
                return security.Forbid(context, $"{user.UserName} belongs to unit {user.Unit ?? "(none)"}, not {unit}");
            }

            unit = user.Unit ?? string.Empty;
        }

        return TypedResults.Ok(await desk.QueueAsync(which, unit, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> GetAsync(
        Guid ticketId, HttpContext context, CurrentUser user, TicketDesk desk, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken)
    {
        var detail = await desk.DetailAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (!CanRead(user, detail.Ticket))
        {
            return security.Forbid(context, $"ticket {ticketId} is not dispatched to {user.UserName}'s unit");
        }

        return TypedResults.Ok(await ViewOfAsync(detail, presenter, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<SlaView>, ProblemHttpResult>> SlaAsync(
        Guid ticketId, HttpContext context, CurrentUser user, TicketDesk desk, SecurityLog security, CancellationToken cancellationToken)
    {
        var ticket = await desk.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (!CanRead(user, ticket))
        {
            return security.Forbid(context, $"ticket {ticketId} is not dispatched to {user.UserName}'s unit");
        }

        if (ticket.Sla is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "No SLA policy", detail: $"no SLA policy covers category '{ticket.Category}', priority '{ticket.Priority}'");
        }

        return TypedResults.Ok(new SlaView(ticketId, ticket.Sla.Policy, Colour(ticket.Sla.Snapshot.Status), ticket.Sla));
    }

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> NoteAsync(
        Guid ticketId, NoteRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: true,
            validate: () => Text("text", request?.Text),
            act: () => desk.AddNoteAsync(ticketId, request!.Text!, user.UserName, cancellationToken), cancellationToken);

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> DispatchAsync(
        Guid ticketId, DispatchRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: false,
            validate: () => Merge(Text("unit", request?.Unit, 200), request?.Note is { Length: > MaxText } ? new() { ["note"] = [$"at most {MaxText} characters"] } : null),
            act: () => desk.DispatchAsync(ticketId, request!.Unit!, request.Note, user.UserName, request.ExpectedVersion, cancellationToken), cancellationToken);

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> CloseAsync(
        Guid ticketId, CloseRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: false,
            validate: () => Text("memo", request?.Memo),
            act: () => desk.CloseAsync(ticketId, request!.Memo!, user.UserName, request.ExpectedVersion, cancellationToken), cancellationToken);

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> PauseAsync(
        Guid ticketId, SlaChangeRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, TicketSla sla, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: false,
            validate: () => Text("reason", request?.Reason),
            act: () => sla.PauseAsync(ticketId, request!.Reason!.Trim(), user.UserName, cancellationToken), cancellationToken);

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ResumeAsync(
        Guid ticketId, HttpContext context, CurrentUser user, TicketDesk desk, TicketSla sla, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: false,
            validate: () => null,
            act: () => sla.ResumeAsync(ticketId, user.UserName, cancellationToken), cancellationToken);

    private static Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ExtendAsync(
        Guid ticketId, SlaChangeRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, TicketSla sla, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken) =>
        ActAsync(ticketId, context, user, desk, presenter, security, requireWorker: false,
            validate: () => Text("reason", request?.Reason),
            act: () => sla.ExtendAsync(ticketId, request!.Reason!.Trim(), user.UserName, cancellationToken), cancellationToken);

    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> CompleteAsync(
        Guid ticketId, long taskId, InstanceEndpoints.CompleteTaskRequest? request, HttpContext context, CurrentUser user, TicketDesk desk, InstanceRuntime runtime, DefinitionCatalog catalog, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken)
    {
        var ticket = await desk.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var task = ticket.CurrentTask;
        if (task is null || task.Id != taskId)
        {
            return TypedResults.Problem(statusCode: 409, title: "Task not open", detail: $"ticket {ticketId} has no open task {taskId}");
        }

        // The lane's declared performer (cc:performer) works the task; a related team only on its unit's tickets.
        var record = await runtime.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var state = InstanceState.FromJson(record.Snapshot);
        var item = state.WorkItems.FirstOrDefault(w => w.Id == taskId);
        var performer = item is null ? Roles.Tier2 : await WorkItemAccess.PerformerAsync(catalog, state, item, cancellationToken).ConfigureAwait(false);
        if (!WorkItemAccess.Works(user, performer, ticket.Unit))
        {
            return security.Forbid(context, $"task {taskId} of ticket {ticketId} is in the {task.Lane} lane, worked by {performer}{(performer == Roles.RelatedTeam ? $" of unit {ticket.Unit}" : string.Empty)}; {user.UserName} does not work it");
        }

        if (request?.Data is { } data && data.Keys.FirstOrDefault(k => k.Length is 0 or > 64) is { } bad)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["data"] = [$"'{bad}' is not a variable name"] });
        }

        try
        {
            await runtime.CompleteWorkItemAsync(ticketId, taskId, request?.Outcome, request?.Data, user.UserName, request?.ExpectedVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TicketActionException refused)
        {
            return Refused(refused.Message);
        }

        return TypedResults.Ok(await ViewAsync(ticketId, desk, presenter, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The common shape of a ticket action: who may act, then the body, then the action; refusals are 409.</summary>
    private static async Task<Results<Ok<TicketView>, ValidationProblem, ProblemHttpResult>> ActAsync(
        Guid ticketId,
        HttpContext context,
        CurrentUser user,
        TicketDesk desk,
        InstancePresenter presenter,
        SecurityLog security,
        bool requireWorker,
        Func<Dictionary<string, string[]>?> validate,
        Func<Task> act,
        CancellationToken cancellationToken)
    {
        var ticket = await desk.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        if (requireWorker && !CanWork(user, ticket))
        {
            return security.Forbid(context, $"ticket {ticketId} is not worked by {user.UserName}");
        }

        if (validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            await act().ConfigureAwait(false);
        }
        catch (Exception e) when (e is TicketActionException or SlaExtensionRefusedException)
        {
            return Refused(e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(statusCode: 409, title: "No SLA policy", detail: e.Message);
        }

        return TypedResults.Ok(await ViewAsync(ticketId, desk, presenter, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<TicketView> ViewAsync(Guid ticketId, TicketDesk desk, InstancePresenter presenter, CancellationToken cancellationToken) =>
        await ViewOfAsync(await desk.DetailAsync(ticketId, cancellationToken).ConfigureAwait(false), presenter, cancellationToken).ConfigureAwait(false);

    private static async Task<TicketView> ViewOfAsync(TicketDetail detail, InstancePresenter presenter, CancellationToken cancellationToken)
    {
        var view = await presenter.ViewAsync(detail.Record, cancellationToken).ConfigureAwait(false);
        return new TicketView(detail.Ticket, view.Version, view.Tasks, detail.Notes);
    }

    private static bool ReadsAllTickets(CurrentUser user) =>
        user.IsInRole(Roles.Tier2) || user.IsInRole(Roles.TeamLeader) || user.IsInRole(Roles.QualityControl) || user.IsInRole(Roles.Admin);

    private static bool CanRead(CurrentUser user, TicketSummary ticket) =>
        ReadsAllTickets(user) || (user.IsInRole(Roles.RelatedTeam) && TicketDesk.IsSameUnit(ticket.Unit, user.Unit));

    /// <summary>Notes come from Tier 2, or from the related team the ticket was dispatched to.</summary>
    private static bool CanWork(CurrentUser user, TicketSummary ticket) =>
        user.IsInRole(Roles.Tier2) || (user.IsInRole(Roles.RelatedTeam) && TicketDesk.IsSameUnit(ticket.Unit, user.Unit));

    private static string Colour(SlaStatus status) => status switch
    {
        SlaStatus.Breached => "breached",
        SlaStatus.AtRisk => "at-risk",
        _ => "on-track",
    };

    private static ProblemHttpResult Refused(string detail) => TypedResults.Problem(statusCode: 409, title: "Refused", detail: detail);

    private static Dictionary<string, string[]>? Text(string field, string? text, int max = MaxText) =>
        string.IsNullOrWhiteSpace(text) ? new() { [field] = ["required"] }
        : text.Length > max ? new() { [field] = [$"at most {max} characters"] }
        : null;

    private static Dictionary<string, string[]>? Merge(Dictionary<string, string[]>? a, Dictionary<string, string[]>? b) =>
        a is null ? b : b is null ? a : a.Concat(b).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}

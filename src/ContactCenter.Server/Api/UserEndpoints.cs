using System.Security.Claims;
using ContactCenter.Server.Identity;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Server.Api;

/// <summary>
/// The centre's users, managed by an administrator: list, add, change roles, unit and display
/// name, disable and enable, reset a password. Every change is a row of the user audit, readable
/// here too. A change that would leave no enabled administrator is refused (409). Changing a
/// user's roles, unit, password or disabling them changes their security stamp, so their tokens
/// stop working at their next request (<see cref="SignedInUserCheck"/>).
/// </summary>
public static class UserEndpoints
{
    /// <summary>A user as an administrator sees them.</summary>
    public sealed record UserView(string UserName, string DisplayName, IReadOnlyList<string> Roles, string? Unit, bool Disabled, DateTimeOffset? LastSignInAt);

    public sealed record NewUserRequest(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles, string? Unit, string? Password);

    public sealed record UserChangeRequest(string? DisplayName, IReadOnlyList<string>? Roles, string? Unit);

    public sealed record PasswordResetRequest(string? Password);

    /// <summary>The answer to an added user or a reset password: the password when the server made it (shown once, never stored in clear).</summary>
    public sealed record UserWithPassword(UserView User, string? Password);

    public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string TargetUser, string Action, string Details);

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("", ListAsync).WithSummary("Every user: name, display name, roles, unit, disabled, last sign-in.");
        group.MapPost("", CreateAsync).WithSummary("Adds a user; without a password the server makes a random one, returned once.")
            .ProducesValidationProblem().ProducesProblem(409);
        group.MapPut("/{userName}", ChangeAsync).WithSummary("Sets a user's display name, roles and unit (the unit for RelatedTeam only).")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{userName}/disable", (string userName, CurrentUser actor, UserAdministration admin) => SetDisabledAsync(userName, true, actor, admin))
            .WithSummary("Disables a user: no sign-in, and their tokens stop working at their next request.").ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{userName}/enable", (string userName, CurrentUser actor, UserAdministration admin) => SetDisabledAsync(userName, false, actor, admin))
            .WithSummary("Enables a disabled user again.").ProducesProblem(404);
        group.MapPost("/{userName}/password", ResetPasswordAsync)
            .WithSummary("Sets a new password: the given one (it must meet the password rules) or a random one, returned once.").ProducesValidationProblem().ProducesProblem(404);
        group.MapGet("/audit", AuditAsync).WithSummary("The user audit, newest first: who changed which user, when, and what (?userName= one user's, ?limit= at most 500).");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListAsync(UserAdministration admin, CancellationToken cancellationToken) =>
        TypedResults.Ok(await admin.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Created<UserWithPassword>, ValidationProblem, ProblemHttpResult>> CreateAsync(NewUserRequest request, CurrentUser actor, UserAdministration admin)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        UserAdministration.CheckUserName(request.UserName, errors);
        UserAdministration.CheckProfile(request.DisplayName, request.Roles, request.Unit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await admin.CreateAsync(actor.UserName, request.UserName!, request.DisplayName!.Trim(), request.Roles!, Blank(request.Unit), request.Password).ConfigureAwait(false);
        return outcome switch
        {
            { Errors: { } invalid } => TypedResults.ValidationProblem(invalid),
            { Conflict: { } why } => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: why),
            _ => TypedResults.Created($"/api/admin/users/{Uri.EscapeDataString(outcome.User!.UserName)}", new UserWithPassword(outcome.User!, outcome.Password)),
        };
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(string userName, UserChangeRequest request, CurrentUser actor, UserAdministration admin)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        UserAdministration.CheckProfile(request.DisplayName, request.Roles, request.Unit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return Answer(await admin.ChangeAsync(actor.UserName, userName, request.DisplayName!.Trim(), request.Roles!, Blank(request.Unit)).ConfigureAwait(false), userName);
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> SetDisabledAsync(string userName, bool disabled, CurrentUser actor, UserAdministration admin) =>
        Answer(await admin.SetDisabledAsync(actor.UserName, userName, disabled).ConfigureAwait(false), userName);

    private static async Task<Results<Ok<UserWithPassword>, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(string userName, PasswordResetRequest? request, CurrentUser actor, UserAdministration admin)
    {
        var outcome = await admin.ResetPasswordAsync(actor.UserName, userName, request?.Password).ConfigureAwait(false);
        return outcome switch
        {
            { Errors: { } invalid } => TypedResults.ValidationProblem(invalid),
            { User: null } => NotFound(userName),
            _ => TypedResults.Ok(new UserWithPassword(outcome.User!, outcome.Password)),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditView>>, ValidationProblem>> AuditAsync(string? userName, int? limit, IdentityDatabase db, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["between 1 and 500"] });
        }

        var rows = db.UserAudit.AsNoTracking();
        if (!string.IsNullOrEmpty(userName))
        {
            rows = rows.Where(a => a.TargetUser == userName);
        }

        var entries = await rows.OrderByDescending(a => a.Id).Take(limit ?? 100)
            .Select(a => new AuditView(a.Id, a.At, a.Actor, a.TargetUser, a.Action, a.Details))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<AuditView>>(entries);
    }

    private static Results<Ok<UserView>, ValidationProblem, ProblemHttpResult> Answer(UserAdministration.Outcome outcome, string userName) => outcome switch
    {
        { Conflict: { } why } => TypedResults.Problem(statusCode: 409, title: "Conflict", detail: why),
        { User: null } => NotFound(userName),
        _ => TypedResults.Ok(outcome.User!),
    };

    private static ProblemHttpResult NotFound(string userName) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"there is no user '{userName}'");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

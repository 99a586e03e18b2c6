using ContactCenter.Modules.Help;
using ContactCenter.Runtime.Instances;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>
/// Asking for help during a conversation (SOP §5.3): the conversation's agent asks the Team Leader
/// or Tier 2 with a short text; the Team Leader (any request) or Tier 2 (those addressed to Tier 2)
/// answers. Both are journaled on the conversation (<see cref="HelpRequests"/>), so the live stream
/// brings them to the dashboard and the console, and QC's replay shows them.
/// </summary>
public static class HelpEndpoints
{
    public sealed record HelpRequestBody(string? To, string? Text);

    public sealed record HelpAnswerBody(string? Text);

    public static IEndpointRouteBuilder MapHelpEndpoints(this IEndpointRouteBuilder app)
    {
        var conversation = app.MapGroup("/api/instances/{instanceId:guid}/help").WithTags("Help");
        conversation.MapPost("", RequestAsync).RequireAuthorization(Policies.Agent)
            .WithName("RequestHelp")
            .WithSummary("The conversation's agent asks the Team Leader or Tier 2 for help (to: TeamLeader | Tier2, text: 1-1000 characters); journaled as annotated@1 help-requested.")
            .ProducesValidationProblem()
            .ProducesProblem(403)
            .ProducesProblem(409);
        conversation.MapGet("", ListAsync).RequireAuthorization(Policies.ReadConversations)
            .WithName("ConversationHelp")
            .WithSummary("The conversation's help requests with their answers, oldest first.");
        conversation.MapPost("/{requestId}/answer", AnswerAsync).RequireAuthorization(Policies.SignedIn)
            .WithName("AnswerHelp")
            .WithSummary("A Team Leader (any request) or Tier 2 (requests addressed to Tier 2) answers; journaled as annotated@1 help-answered. 409 when already answered.")
            .ProducesValidationProblem()
            .ProducesProblem(403)
            .ProducesProblem(404)
            .ProducesProblem(409);
        app.MapGet("/api/help", OpenAsync).RequireAuthorization(Policies.SignedIn).WithTags("Help")
            .WithName("OpenHelpRequests")
            .WithSummary("The help requests not yet answered, oldest first: every one for a Team Leader or an admin, those addressed to Tier 2 for Tier 2.")
            .ProducesProblem(403);
        return app;
    }

    private static async Task<Results<Created<HelpRequest>, ValidationProblem, ProblemHttpResult>> RequestAsync(
        Guid instanceId, HelpRequestBody? body, HttpContext context, CurrentUser user, InstanceRuntime runtime, HelpRequests help, SecurityLog security, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanAct(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; only its agent asks for help on it");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var to = HelpRequests.Addressees.FirstOrDefault(a => string.Equals(a, body?.To?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (to is null)
        {
            errors["to"] = [$"whom to ask: {string.Join(" or ", HelpRequests.Addressees)}"];
        }

        CheckText(body?.Text, "text", "what help is needed", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var request = await help.RequestAsync(instanceId, to!, body!.Text!, user.UserName, cancellationToken).ConfigureAwait(false);
            return TypedResults.Created($"/api/instances/{instanceId}/help", request);
        }
        catch (HelpRequestException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: "Help not requested", detail: e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<HelpRequest>>, ProblemHttpResult>> ListAsync(
        Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, HelpRequests help, SecurityLog security, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanRead(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; {user.UserName} may not read it");
        }

        return TypedResults.Ok(await help.ListAsync(instanceId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<HelpRequest>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        Guid instanceId, string requestId, HelpAnswerBody? body, HttpContext context, CurrentUser user, InstanceRuntime runtime, HelpRequests help, SecurityLog security, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.TeamLeader) && !user.IsInRole(Roles.Tier2))
        {
            return security.Forbid(context, $"{user.UserName} is neither a Team Leader nor Tier 2; only they answer help requests");
        }

        await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckText(body?.Text, "text", "the answer", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            return TypedResults.Ok(await help.AnswerAsync(instanceId, requestId, body!.Text!, user.UserName, r => MayAnswer(user, r), cancellationToken).ConfigureAwait(false));
        }
        catch (HelpRequestException e) when (e.Status == 403)
        {
            return security.Forbid(context, e.Message);
        }
        catch (HelpRequestException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: e.Status == 404 ? "Not found" : "Already answered", detail: e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<HelpRequest>>, ProblemHttpResult>> OpenAsync(
        HttpContext context, CurrentUser user, HelpRequests help, SecurityLog security, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.TeamLeader) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Tier2))
        {
            return security.Forbid(context, $"{user.UserName} may not list help requests (Team Leader, Tier 2, Admin)");
        }

        var open = await help.OpenAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<HelpRequest>>([.. open.Where(r => user.IsInRole(Roles.TeamLeader) || user.IsInRole(Roles.Admin) || r.To == Roles.Tier2)]);
    }

    /// <summary>A Team Leader answers any request; Tier 2 those addressed to Tier 2.</summary>
    private static bool MayAnswer(CurrentUser user, HelpRequest request) =>
        user.IsInRole(Roles.TeamLeader) || (user.IsInRole(Roles.Tier2) && request.To == Roles.Tier2);

    private static void CheckText(string? text, string field, string what, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"{what} is required"];
        }
        else if (text.Trim().Length > HelpRequests.MaxTextLength)
        {
            errors[field] = [$"at most {HelpRequests.MaxTextLength} characters"];
        }
        else if (InputText.HasControlCharacters(text.Replace('\n', ' ').Replace('\r', ' ')))
        {
            errors[field] = ["no control characters"];
        }
    }
}

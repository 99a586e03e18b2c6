using System.Text.RegularExpressions;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>Conversations: start, state with tasks and timers, complete a task, customer messages, cancel, list.</summary>
public static partial class InstanceEndpoints
{
    /// <summary>Starts a conversation. The agent is the signed-in user; <c>namaAgent</c> defaults to their display name.</summary>
    /// <param name="Channel">whatsapp, live-chat, social-media, email, inbound-call or outlet-reservation.</param>
    /// <param name="CustomerRef">The customer's reference on the channel (a phone number, a handle).</param>
    /// <param name="DefinitionKey">The workflow; default is the channel's own (the same key).</param>
    /// <param name="Variables">Extra start variables (strings, numbers, booleans).</param>
    public sealed record StartInstanceRequest(string? Channel, string? CustomerRef, string? DefinitionKey = null, Dictionary<string, Value>? Variables = null);

    /// <summary>Completes an open task.</summary>
    /// <param name="Outcome">The outcome at a decision (one of the task's outcomes).</param>
    /// <param name="Data">The fields the task asks for.</param>
    /// <param name="ExpectedVersion">The instance version the agent saw; a newer one answers 409.</param>
    public sealed record CompleteTaskRequest(string? Outcome = null, Dictionary<string, Value>? Data = null, long? ExpectedVersion = null);

    /// <summary>A customer's message (agent-side entry or a test); a repeated message id changes nothing.</summary>
    public sealed record CustomerMessageRequest(string? Text, string? MessageId = null);

    public sealed record CancelRequest(string? Reason);

    private const int MaxTextLength = 4000;

    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("Instances");
        group.MapPost("/", StartAsync).RequireAuthorization(Policies.Agent)
            .WithSummary("Starts a conversation on a channel; the signed-in agent owns it. Only a flow whose cc:startableBy names a role of the caller starts by hand.")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadConversations)
            .WithSummary("Lists instances, newest first, filtered by status, agent, channel, definition and start date; agents see only their own.")
            .ProducesValidationProblem().ProducesProblem(403);
        group.MapGet("/{instanceId:guid}", GetAsync).RequireAuthorization(Policies.ReadConversations)
            .WithSummary("The instance with its open tasks (SOP step, script, fields, outcomes) and pending timers.").ProducesProblem(403).ProducesProblem(404);
        group.MapPost("/{instanceId:guid}/tasks/{taskId:long}/complete", CompleteAsync).RequireAuthorization(Policies.Agent)
            .WithSummary("Completes an open task in an Agent lane (cc:performer) of the caller's conversation with an outcome and data; a stale expectedVersion answers 409.")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{instanceId:guid}/messages", DeliverAsync).RequireAuthorization(Policies.Agent)
            .WithSummary("Delivers a customer's message to the conversation.").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{instanceId:guid}/cancel", CancelAsync).RequireAuthorization(Policies.CancelConversations)
            .WithSummary("Cancels a running instance.").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    /// <summary>A channel name has a definition key's shape, but it is a rule of its own.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex ChannelPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial Regex VariablePattern();

    private static async Task<Results<Created<InstanceView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        StartInstanceRequest request,
        HttpContext context,
        CurrentUser user,
        InstanceRuntime runtime,
        DefinitionCatalog catalog,
        InstancePresenter presenter,
        SecurityLog security,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Channel))
        {
            errors["channel"] = ["a channel is required (whatsapp, live-chat, social-media, email, inbound-call, outlet-reservation)"];
        }
        else if (!ChannelPattern().IsMatch(request.Channel) || request.Channel == "ticket")
        {
            errors["channel"] = [$"'{request.Channel}' is not a conversation channel"];
        }

        if (request.DefinitionKey is not null && !DefinitionKeys.IsValid(request.DefinitionKey))
        {
            errors["definitionKey"] = [$"'{request.DefinitionKey}' is not a definition key"];
        }

        if (request.CustomerRef is not null)
        {
            if (string.IsNullOrWhiteSpace(request.CustomerRef))
            {
                errors["customerRef"] = ["blank; leave it out or give the customer's reference"];
            }
            else if (request.CustomerRef.Length > 200)
            {
                errors["customerRef"] = ["at most 200 characters"];
            }
            else if (InputText.HasControlCharacters(request.CustomerRef))
            {
                errors["customerRef"] = ["control characters (line breaks, escapes) are not allowed"];
            }
        }

        CheckVariables(request.Variables, "variables", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Called and internal flows (the silence ladder, ticket escalation) are started by other
        // flows or the platform, never by hand: the flow says who may (cc:startableBy).
        var key = request.DefinitionKey ?? request.Channel!;
        var (allowed, startableBy) = await WorkItemAccess.CanStartAsync(catalog, user, key, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!allowed)
        {
            return security.Forbid(context, startableBy.Count == 0
                ? $"'{key}' is started by other flows, not by hand"
                : $"'{key}' is started by hand only by {string.Join(", ", startableBy)}");
        }

        var variables = new Dictionary<string, Value>(StringComparer.Ordinal) { ["namaAgent"] = user.DisplayName };
        foreach (var (name, value) in request.Variables ?? [])
        {
            variables[name] = value;
        }

        var record = await runtime.StartAsync(
            new StartRequest
            {
                DefinitionKey = key,
                Channel = request.Channel!,
                CustomerRef = request.CustomerRef,
                Agent = user.UserName,
                Actor = user.UserName,
                Variables = variables,
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/instances/{record.Id}", await presenter.ViewAsync(record, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<IReadOnlyList<InstanceSummary>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        HttpContext context,
        CurrentUser user,
        IInstanceQueries queries,
        SecurityLog security,
        string? status,
        string? agent,
        string? channel,
        string? definitionKey,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? limit,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        InstanceStatus? parsedStatus = null;
        if (status is not null)
        {
            if (Enum.TryParse<InstanceStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s))
            {
                parsedStatus = s;
            }
            else
            {
                errors["status"] = [$"'{status}' is not one of {string.Join(", ", Enum.GetNames<InstanceStatus>())}"];
            }
        }

        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["between 1 and 500"];
        }

        if (from is not null && to is not null && to < from)
        {
            errors["to"] = ["'to' is before 'from'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!InstanceAccess.ReadsAll(user))
        {
            // An agent sees only their own conversations.
            if (agent is not null && !string.Equals(agent, user.UserName, StringComparison.OrdinalIgnoreCase))
            {
                return security.Forbid(context, $"agent {user.UserName} asked for the conversations of {agent}; agents see only their own");
            }

            agent = user.UserName;
        }

        var rows = await queries.QueryAsync(
            new InstanceQuery
            {
                Status = parsedStatus,
                Agent = agent,
                Channel = channel,
                DefinitionKey = definitionKey,
                StartedFrom = from,
                StartedTo = to,
                Limit = limit ?? 100,
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<InstanceSummary>>([.. rows.Select(InstancePresenter.Summary)]);
    }

    private static async Task<Results<Ok<InstanceView>, ProblemHttpResult>> GetAsync(Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, InstancePresenter presenter, SecurityLog security, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanRead(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; {user.UserName} may not read it");
        }

        return TypedResults.Ok(await presenter.ViewAsync(record, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<InstanceView>, ValidationProblem, ProblemHttpResult>> CompleteAsync(
        Guid instanceId,
        long taskId,
        CompleteTaskRequest? request,
        HttpContext context,
        CurrentUser user,
        InstanceRuntime runtime,
        DefinitionCatalog catalog,
        ContactCenter.Hosting.ContactCenterServiceCollectionExtensions.CalendarData calendar,
        InstancePresenter presenter,
        TaskScripts scripts,
        IInstanceStore store,
        SecurityLog security,
        CancellationToken cancellationToken)
    {
        // Who may act comes first: a stranger learns nothing about what a valid body would be.
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanAct(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; only its agent completes its tasks");
        }

        request ??= new CompleteTaskRequest();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckVariables(request.Data, "data", errors);
        if (request.Outcome is { Length: > 200 })
        {
            errors["outcome"] = ["at most 200 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var state = runtime.StateOf(record);
        if (taskId < 1 || (taskId >= state.NextId && state.WorkItems.All(w => w.Id != taskId)))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"instance {instanceId} has no task {taskId}");
        }

        // The conversation's agent works the Agent lanes only; another lane's task (Tier 2's, a
        // related team's) is done by that role through its own routes.
        if (state.WorkItems.FirstOrDefault(w => w.Id == taskId) is { } item
            && await WorkItemAccess.PerformerAsync(catalog, state, item, cancellationToken).ConfigureAwait(false) is var performer
            && performer != Roles.Agent)
        {
            return security.Forbid(context, $"task {taskId} of instance {instanceId} is in the {item.Lane ?? "-"} lane, worked by {performer}; an agent does not complete it");
        }

        if (await DecisionFields.CheckAsync(catalog, calendar.Policies, state, taskId, request.Outcome, request.Data, cancellationToken).ConfigureAwait(false) is { Count: > 0 } missing)
        {
            return TypedResults.ValidationProblem(missing);
        }

        // The documentation step: its fields checked and the ticket the conversation raised filled in.
        var data = request.Data;
        if (state.WorkItems.FirstOrDefault(w => w.Id == taskId) is { } documented
            && (await WorkItemAccess.NodeAsync(catalog, state, documented, cancellationToken).ConfigureAwait(false))?.HasPurpose(Modules.Flows.StepPurposes.Documentation) == true)
        {
            var raised = Modules.Quality.ContactDocumentation.RaisedTickets(instanceId, await ReadableJournal.ReadAsync(store, instanceId, cancellationToken).ConfigureAwait(false));
            var (checkedData, invalid) = Modules.Quality.ContactDocumentation.Check(request.Data, calendar.Policies, raised);
            if (invalid.Count > 0)
            {
                return TypedResults.ValidationProblem(invalid);
            }

            data = checkedData;
        }

        // The script as the console shows it now (rendered again each minute): the greeting the
        // agent read out, which the journal keeps when it is not the text the step opened with.
        var shown = (await scripts.CurrentAsync(state, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(taskId);
        var after = await runtime.CompleteWorkItemAsync(instanceId, taskId, request.Outcome, data, user.UserName, request.ExpectedVersion, shown, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await presenter.ViewAsync(after, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<InstanceView>, ValidationProblem, ProblemHttpResult>> DeliverAsync(
        Guid instanceId,
        CustomerMessageRequest request,
        HttpContext context,
        CurrentUser user,
        InstanceRuntime runtime,
        InstancePresenter presenter,
        SecurityLog security,
        CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanAct(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; only its agent enters customer messages");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            errors["text"] = ["the customer's message is required"];
        }
        else if (request.Text.Length > MaxTextLength)
        {
            errors["text"] = [$"at most {MaxTextLength} characters"];
        }

        if (request.MessageId is not null && (string.IsNullOrWhiteSpace(request.MessageId) || request.MessageId.Length > 200 || InputText.HasControlCharacters(request.MessageId)))
        {
            errors["messageId"] = ["1 to 200 characters without control characters; leave it out to have one made"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (record.Status != InstanceStatus.Running)
        {
            return TypedResults.Problem(statusCode: 409, title: "Instance not running", detail: $"instance {instanceId} is {record.Status}");
        }

        var after = await runtime.DeliverMessageAsync(instanceId, request.Text, request.MessageId, record.CustomerRef ?? "customer", cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await presenter.ViewAsync(after, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<InstanceView>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        Guid instanceId,
        CancelRequest request,
        HttpContext context,
        CurrentUser user,
        InstanceRuntime runtime,
        InstancePresenter presenter,
        SecurityLog security,
        CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanCancel(user, record))
        {
            return security.Forbid(context, $"instance {instanceId} belongs to {record.Agent ?? "no agent"}; {user.UserName} may not cancel it");
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["reason"] = ["a reason of 1 to 500 characters is required"] });
        }

        if (record.Status != InstanceStatus.Running)
        {
            return TypedResults.Problem(statusCode: 409, title: "Instance not running", detail: $"instance {instanceId} is {record.Status}");
        }

        var after = await runtime.CancelAsync(instanceId, request.Reason, user.UserName, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await presenter.ViewAsync(after, cancellationToken).ConfigureAwait(false));
    }

    private static void CheckVariables(Dictionary<string, Value>? variables, string field, Dictionary<string, string[]> errors)
    {
        if (variables is null)
        {
            return;
        }

        if (variables.Count > 100)
        {
            errors[field] = ["at most 100 entries"];
            return;
        }

        foreach (var (name, value) in variables)
        {
            if (!VariablePattern().IsMatch(name))
            {
                errors[$"{field}.{name}"] = ["a name is letters, digits and _, starting with a letter"];
            }
            else if (value.Kind == ValueKind.String && value.AsString.Length > MaxTextLength)
            {
                errors[$"{field}.{name}"] = [$"at most {MaxTextLength} characters"];
            }
        }
    }
}

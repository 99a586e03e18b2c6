using System.Text;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;
using ContactCenter.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Server.Api;

/// <summary>An instance's journal: the events in sequence order, exactly as stored; and what was said in it.</summary>
public static class JournalEndpoints
{
    /// <summary>What was said up to the journal's <paramref name="LastSequence"/> (0 for an empty journal).</summary>
    public sealed record ConversationView(long LastSequence, IReadOnlyList<ConversationLine> Lines);

    public static IEndpointRouteBuilder MapJournalEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances/{instanceId:guid}/journal").WithTags("Journal").RequireAuthorization(Policies.ReadConversations);
        group.MapGet("/", ReadAsync).WithSummary("The journal as a JSON array of events, in sequence order.")
            .Produces<System.Text.Json.JsonElement[]>(200, "application/json").ProducesProblem(403).ProducesProblem(404);
        app.MapGet("/api/instances/{instanceId:guid}/conversation", ConversationAsync).WithTags("Journal").RequireAuthorization(Policies.ReadConversations)
            .WithSummary("What was said: the customer's messages, the automatic prompts and the scripts the agent read out, each with its journal sequence (the same projection as QC's replay).")
            .ProducesProblem(403).ProducesProblem(404);
        group.MapGet("/export", ExportAsync).WithSummary("The journal as a JSON Lines download (one event a line).")
            .Produces<string>(200, "application/jsonl").ProducesProblem(403).ProducesProblem(404);
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadAsync(Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, IInstanceStore store, SecurityLog security, CancellationToken cancellationToken)
    {
        var (rows, denied) = await LoadAsync(instanceId, context, user, runtime, store, security, cancellationToken).ConfigureAwait(false);
        return denied is not null ? denied : TypedResults.Text("[" + string.Join(",", rows!.Select(r => r.Json)) + "]", "application/json", Encoding.UTF8);
    }

    private static async Task<Results<Ok<ConversationView>, ProblemHttpResult>> ConversationAsync(Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, IInstanceStore store, SecurityLog security, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanRead(user, record))
        {
            return security.Forbid(context, $"the conversation of {instanceId} belongs to {record.Agent ?? "no agent"}; {user.UserName} may not read it");
        }

        var journal = await ReadableJournal.ReadAsync(store, instanceId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ConversationView(journal.Count > 0 ? journal[^1].Sequence : 0, ConversationTranscript.Of(journal)));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, IInstanceStore store, SecurityLog security, CancellationToken cancellationToken)
    {
        var (rows, denied) = await LoadAsync(instanceId, context, user, runtime, store, security, cancellationToken).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var lines = new StringBuilder();
        foreach (var row in rows!)
        {
            lines.Append(row.Json).Append('\n');
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(lines.ToString()), "application/jsonl", $"journal-{instanceId}.jsonl");
    }

    private static async Task<(IReadOnlyList<JournalRecord>? Rows, ProblemHttpResult? Denied)> LoadAsync(Guid instanceId, HttpContext context, CurrentUser user, InstanceRuntime runtime, IInstanceStore store, SecurityLog security, CancellationToken cancellationToken)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (!InstanceAccess.CanRead(user, record))
        {
            return (null, security.Forbid(context, $"the journal of {instanceId} belongs to {record.Agent ?? "no agent"}; {user.UserName} may not read it"));
        }

        var rows = await store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return ([.. rows.OrderBy(r => r.Sequence)], null);
    }
}

using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Help;

/// <summary>
/// Asking for help during a conversation (SOP §5.3: "jika membutuhkan bantuan (informasi,
/// eskalasi, dll) dapat menghubungi Team Leader atau Tier 2"). A request and its answer are
/// journaled on the conversation as <c>annotated@1</c> events (kinds <see cref="RequestedKind"/>
/// and <see cref="AnsweredKind"/>), so the engine stays as it is, the live stream carries them to
/// the Team Leader's dashboard and the agent's console, and QC's replay shows them in order.
/// </summary>
public sealed class HelpRequests(InstanceRuntime runtime, IInstanceStore store, IReadModelStore readModels, TimeProvider clock)
{
    public const string RequestedKind = "help-requested";
    public const string AnsweredKind = "help-answered";

    /// <summary>Data of a request: its id (a short random token), to whom (<see cref="Addressees"/>), the agent's text.</summary>
    public const string IdField = "permintaan";
    public const string ToField = "kepada";
    public const string TextField = "pesan";

    /// <summary>Data of an answer: the request's id and the answer's text.</summary>
    public const string AnswerField = "jawaban";

    /// <summary>Longest request or answer.</summary>
    public const int MaxTextLength = 1000;

    /// <summary>Who an agent may ask (§5.3), as the product's role names.</summary>
    public static IReadOnlyList<string> Addressees { get; } = ["TeamLeader", "Tier2"];

    /// <summary>Most open requests the dashboard lists.</summary>
    public const int MaxOpen = 200;

    /// <summary>Journals a request on a running conversation; the request as recorded.</summary>
    /// <exception cref="HelpRequestException">The conversation is not running.</exception>
    public async Task<HelpRequest> RequestAsync(Guid instanceId, string to, string text, string actor, CancellationToken cancellationToken = default)
    {
        var record = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (record.Status != InstanceStatus.Running)
        {
            throw new HelpRequestException(409, $"conversation {instanceId} is {record.Status}; help is asked during a conversation");
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        var after = await runtime.AnnotateAsync(
            instanceId,
            RequestedKind,
            new Dictionary<string, Value> { [IdField] = id, [ToField] = to, [TextField] = text.Trim() },
            actor,
            cancellationToken).ConfigureAwait(false);
        return (await ListAsync(after.Id, cancellationToken).ConfigureAwait(false)).Single(r => r.Id == id);
    }

    /// <summary>Journals the answer to an open request; the request with its answer.</summary>
    /// <exception cref="HelpRequestException">No such request (404), or it is answered already (409).</exception>
    public async Task<HelpRequest> AnswerAsync(Guid instanceId, string requestId, string text, string actor, Func<HelpRequest, bool> mayAnswer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mayAnswer);
        var request = (await ListAsync(instanceId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id == requestId)
            ?? throw new HelpRequestException(404, $"conversation {instanceId} has no help request {requestId}");
        if (!mayAnswer(request))
        {
            throw new HelpRequestException(403, $"help request {requestId} is addressed to {request.To}");
        }

        if (request.AnsweredAt is not null)
        {
            throw new HelpRequestException(409, $"help request {requestId} was answered by {request.AnsweredBy} at {request.AnsweredAt:O}");
        }

        await runtime.AnnotateAsync(instanceId, AnsweredKind, new Dictionary<string, Value> { [IdField] = requestId, [AnswerField] = text.Trim() }, actor, cancellationToken).ConfigureAwait(false);
        return (await ListAsync(instanceId, cancellationToken).ConfigureAwait(false)).Single(r => r.Id == requestId);
    }

    /// <summary>A conversation's requests with their answers, oldest first (read from its journal).</summary>
    public async Task<IReadOnlyList<HelpRequest>> ListAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        Of(instanceId, await ReadableJournal.ReadAsync(store, instanceId, cancellationToken).ConfigureAwait(false));

    /// <summary>The open requests of every conversation, oldest first, from the read model kept in each commit (<see cref="HelpRequestProjection"/>).</summary>
    public async Task<IReadOnlyList<HelpRequest>> OpenAsync(CancellationToken cancellationToken = default)
    {
        var rows = await readModels.ListRowsAsync(
            new ReadModelRowQuery { Model = HelpRequestProjection.Model, Queues = [HelpRequestProjection.OpenQueue], At = clock.GetUtcNow(), Limit = MaxOpen },
            cancellationToken).ConfigureAwait(false);
        return [.. rows.SelectMany(r => HelpRequestProjection.Read(r.Summary)).Where(r => r.AnsweredAt is null).OrderBy(r => r.RequestedAt)];
    }

    /// <summary>The requests a journal records, with the answers it records.</summary>
    public static IReadOnlyList<HelpRequest> Of(Guid instanceId, IEnumerable<WorkflowEvent> journal) => Apply(instanceId, [], journal);

    /// <summary><paramref name="known"/> followed by what <paramref name="events"/> request and answer.</summary>
    internal static List<HelpRequest> Apply(Guid instanceId, IEnumerable<HelpRequest> known, IEnumerable<WorkflowEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var requests = known.ToList();
        foreach (var e in events)
        {
            if (e is not Annotated annotated)
            {
                continue;
            }

            if (annotated.Kind == RequestedKind && Text(annotated, IdField) is { } id)
            {
                requests.Add(new HelpRequest(id, instanceId, Text(annotated, ToField) ?? string.Empty, Text(annotated, TextField) ?? string.Empty, e.Actor, e.At, null, null, null));
            }
            else if (annotated.Kind == AnsweredKind && Text(annotated, IdField) is { } answered)
            {
                var i = requests.FindIndex(r => r.Id == answered && r.AnsweredAt is null);
                if (i >= 0)
                {
                    requests[i] = requests[i] with { Answer = Text(annotated, AnswerField), AnsweredBy = e.Actor, AnsweredAt = e.At };
                }
            }
        }

        return requests;
    }

    private static string? Text(Annotated annotated, string field) =>
        annotated.Data.TryGetValue(field, out var v) && v.Kind == ValueKind.String ? v.AsString : null;
}

/// <summary>A help request and, once given, its answer.</summary>
/// <param name="To">The role asked: TeamLeader or Tier2.</param>
public sealed record HelpRequest(
    string Id,
    Guid InstanceId,
    string To,
    string Text,
    string? RequestedBy,
    DateTimeOffset RequestedAt,
    string? Answer,
    string? AnsweredBy,
    DateTimeOffset? AnsweredAt)
{
    /// <summary>The conversation's channel and customer, for the dashboard's list (filled from the read model).</summary>
    public string? Channel { get; init; }

    public string? CustomerRef { get; init; }
}

/// <summary>A help request that cannot be made or answered; <see cref="Status"/> is the HTTP status it means.</summary>
public sealed class HelpRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// One row per conversation with a help request not yet answered (model <c>help-requests</c>,
/// queue <c>open</c>), kept in each commit's transaction (decision 0005); the row goes when the
/// last request is answered or the conversation ends. The dashboard lists the open requests from it.
/// </summary>
public sealed class HelpRequestProjection : ICommitProjection
{
    public const string Model = "help-requests";
    public const string OpenQueue = "open";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => Model;

    public async Task<ReadModelChanges> ProjectAsync(ProjectedCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var annotations = commit.Events.OfType<Annotated>().Any(a => a.Kind is HelpRequests.RequestedKind or HelpRequests.AnsweredKind);
        var ended = !commit.StateAfter.IsRunning;
        if (!annotations && !ended)
        {
            return ReadModelChanges.None;
        }

        var row = commit.Before.Version == 0 ? null : await commit.Rows.GetRowAsync(Model, commit.After.Id, cancellationToken).ConfigureAwait(false);
        if (ended)
        {
            return row is null ? ReadModelChanges.None : new ReadModelChanges { Deletes = [(Model, commit.After.Id)] };
        }

        var known = row is null ? [] : Read(row.Summary);
        var open = HelpRequests.Apply(commit.After.Id, known, commit.Events)
            .Where(r => r.AnsweredAt is null)
            .Select(r => r with { Channel = commit.After.Channel, CustomerRef = commit.After.CustomerRef })
            .ToList();
        if (open.Count == 0)
        {
            return row is null ? ReadModelChanges.None : new ReadModelChanges { Deletes = [(Model, commit.After.Id)] };
        }

        return new ReadModelChanges
        {
            Upserts =
            [
                new ReadModelRow
                {
                    Model = Model,
                    InstanceId = commit.After.Id,
                    InstanceVersion = commit.After.Version,
                    Queue = OpenQueue,
                    EnqueuedAt = open.Min(r => r.RequestedAt),
                    Summary = JsonSerializer.Serialize(open, Json),
                },
            ],
        };
    }

    internal static IReadOnlyList<HelpRequest> Read(string summary) => JsonSerializer.Deserialize<List<HelpRequest>>(summary, Json) ?? [];
}

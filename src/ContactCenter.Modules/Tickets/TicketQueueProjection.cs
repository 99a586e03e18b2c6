using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Modules.Calendar;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Tickets;

/// <summary>
/// The ticket queues as a read model: one row per running ticket instance, in the queue of its
/// lane (none while only timers are pending), partitioned by the unit it was dispatched to, sorted
/// by its breach due. The row keeps the SLA clock's facts (policy, pauses, resumes, extension), so
/// the queue evaluates the clock at read time without the journal; its warning and breach dues
/// are columns, so "at risk" and "breached" are decided against the instant of the request.
/// </summary>
public sealed class TicketQueueProjection(WorkingCalendar calendar, SlaPolicySet policies, IInstanceStore store) : ICommitProjection
{
    public const string Model = "ticket-queue";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => Model;

    /// <summary>The queue column of a lane.</summary>
    public static string QueueName(TicketQueue queue) => queue.ToString();

    /// <summary>The partition column of a unit: units compare trimmed and case-insensitive.</summary>
    public static string? PartitionOf(string? unit) => unit?.Trim().ToUpperInvariant();

    public async Task<ReadModelChanges> ProjectAsync(ProjectedCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var record = commit.After;
        if (record.DefinitionKey != TicketDesk.DefinitionKey)
        {
            return ReadModelChanges.None;
        }

        if (!commit.StateAfter.IsRunning)
        {
            return commit.Before.Version == 0 ? ReadModelChanges.None : new ReadModelChanges { Deletes = [(Model, record.Id)] };
        }

        var facts = await FactsBeforeAsync(commit, cancellationToken).ConfigureAwait(false);
        facts.AddRange(TicketSla.FactsOf(commit.Events));
        return new ReadModelChanges { Upserts = [RowOf(record, commit.StateAfter, facts)] };
    }

    /// <summary>The ticket a row shows, its SLA evaluated at <paramref name="now"/>.</summary>
    public TicketSummary Summarize(ReadModelRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entry = JsonSerializer.Deserialize<TicketQueueEntry>(row.Summary, Json)
            ?? throw new InvalidOperationException($"ticket queue row {row.InstanceId} has no summary");
        TicketSlaState? sla = null;
        if (entry.Policy is not null && policies.Policies.FirstOrDefault(p => p.Name == entry.Policy) is { } policy)
        {
            var clock = TicketSla.Replay(new SlaClock(entry.OpenedAt, policy), calendar, entry.SlaFacts);
            // The dues written with the row hold at any later instant; only the counted time is walked.
            var dues = entry.SlaFacts.Count == 0 || now >= entry.SlaFacts[^1].At ? entry.Dues : null;
            sla = new TicketSlaState(row.InstanceId, policy.Name, clock.Start, clock.Evaluate(calendar, now, dues), clock.Pauses, clock.Extension);
        }

        return new TicketSummary(
            row.InstanceId,
            InstanceStatus.Running,
            entry.Category,
            entry.Priority,
            entry.Description,
            entry.CustomerRef,
            entry.SourceChannel,
            entry.ConversationId,
            entry.Unit,
            entry.CurrentTask,
            entry.Queue,
            entry.OpenedAt,
            null,
            sla);
    }

    private async Task<List<SlaFact>> FactsBeforeAsync(ProjectedCommit commit, CancellationToken cancellationToken)
    {
        if (commit.Before.Version == 0)
        {
            return [];
        }

        var row = await commit.Rows.GetRowAsync(Model, commit.Before.Id, cancellationToken).ConfigureAwait(false);
        if (row is not null && row.InstanceVersion == commit.Before.Version)
        {
            return [.. JsonSerializer.Deserialize<TicketQueueEntry>(row.Summary, Json)?.SlaFacts ?? []];
        }

        // No row at that version (a ticket from before the read model, not yet rebuilt): the
        // journal up to the version the command was decided on says the same.
        var journal = await ReadableJournal.ReadAsync(store, commit.Before.Id, cancellationToken).ConfigureAwait(false);
        return [.. TicketSla.FactsOf(journal.Where(e => e.Sequence <= commit.Before.Version))];
    }

    private ReadModelRow RowOf(InstanceRecord record, InstanceState state, List<SlaFact> facts)
    {
        SlaPolicy? policy;
        try
        {
            policy = policies.ForTicket(state.Variables);
        }
        catch (KeyNotFoundException)
        {
            policy = null; // shown without an SLA rather than hidden
        }

        var queue = TicketDesk.QueueOf(state);
        var unit = TicketDesk.UnitOf(state);
        var entry = new TicketQueueEntry(
            Text(state, SlaPolicySet.CategoryVariable),
            Text(state, SlaPolicySet.PriorityVariable),
            Text(state, "deskripsi"),
            record.CustomerRef,
            Text(state, "kanal"),
            record.ParentInstanceId,
            unit,
            state.WorkItems.Count > 0 ? state.WorkItems[0] : null,
            queue,
            record.StartedAt,
            policy?.Name,
            facts,
            null);
        var row = new ReadModelRow
        {
            Model = Model,
            InstanceId = record.Id,
            InstanceVersion = record.Version,
            Queue = queue is { } q ? QueueName(q) : null,
            Partition = PartitionOf(unit),
            Priority = entry.Priority,
            Category = entry.Category,
            EnqueuedAt = record.StartedAt,
            Summary = JsonSerializer.Serialize(entry, Json),
        };
        if (policy is null)
        {
            return row;
        }

        // Dues do not depend on the instant they are evaluated at (they assume no further pause),
        // so the commit's instant gives the ones every later read would compute.
        var clock = TicketSla.Replay(new SlaClock(record.StartedAt, policy), calendar, facts);
        var snapshot = clock.Evaluate(calendar, record.UpdatedAt);
        return row with
        {
            Summary = JsonSerializer.Serialize(entry with { Dues = SlaDues.Of(snapshot) }, Json),
            HasDeadline = true,
            DeadlineAt = snapshot.BreachDue ?? DateTimeOffset.MaxValue,
            WarningAt = snapshot.WarningDue ?? DateTimeOffset.MaxValue,
            Paused = clock.IsPaused,
        };
    }

    private static string? Text(InstanceState state, string name)
    {
        var value = state.Get(name);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>The row's summary: what <see cref="TicketSummary"/> shows, the SLA clock's facts, and its dues as of the commit.</summary>
    private sealed record TicketQueueEntry(
        string? Category,
        string? Priority,
        string? Description,
        string? CustomerRef,
        string? SourceChannel,
        Guid? ConversationId,
        string? Unit,
        WorkItem? CurrentTask,
        TicketQueue? Queue,
        DateTimeOffset OpenedAt,
        string? Policy,
        IReadOnlyList<SlaFact> SlaFacts,
        SlaDues? Dues);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Instances;

/// <summary>Variables that depend on when a command happens (the greeting right for this minute).</summary>
public interface IContextVariables
{
    IReadOnlyDictionary<string, Value> At(DateTimeOffset now);
}

/// <summary>
/// Told about every committed change of an instance, after the commit (live updates to browsers,
/// metrics). Called on the committing thread: keep it short and never throw; a failure is logged
/// and does not undo the commit.
/// </summary>
public interface IInstanceObserver
{
    void Committed(InstanceRecord instance, IReadOnlyList<WorkflowEvent> events);
}

/// <summary>A request to start an instance: a conversation on a channel, or a ticket's escalation.</summary>
public sealed record StartRequest
{
    public required string DefinitionKey { get; init; }

    public required string Channel { get; init; }

    public string? CustomerRef { get; init; }

    public string? Agent { get; init; }

    public IReadOnlyDictionary<string, Value>? Variables { get; init; }

    /// <summary>Who starts it (an agent, or <c>system</c>).</summary>
    public string? Actor { get; init; }

    /// <summary>A fixed id makes a start idempotent (a ticket opened twice from one event is one ticket).</summary>
    public Guid? InstanceId { get; init; }

    public Guid? ParentInstanceId { get; init; }
}

public sealed class InstanceNotFoundException(Guid id) : Exception($"instance {id} does not exist")
{
    public Guid InstanceId { get; } = id;
}

/// <summary>
/// Runs instances durably: load the snapshot, let the engine decide, commit the events, the new
/// snapshot, the timer rows and the outbox rows in one transaction. The timer rows are the only
/// record of what is armed (see <see cref="Timers.TimerDrain"/>), so nothing is reconciled at
/// start-up; firing is idempotent and never early.
/// </summary>
public sealed class InstanceRuntime(
    DefinitionCatalog catalog,
    IInstanceStore store,
    TimerOptions timerOptions,
    TimeProvider clock,
    ILogger<InstanceRuntime> logger,
    IDeadlineCalculator? deadlines = null,
    IContextVariables? context = null,
    IEnumerable<IInstanceObserver>? observers = null,
    IEnumerable<ICommitProjection>? projections = null,
    IReadModelRowReader? readModels = null) : ITimerSink
{
    private readonly IInstanceObserver[] _observers = observers?.ToArray() ?? [];

    private readonly ICommitProjection[] _projections = projections?.ToArray() ?? [];

    private readonly IReadModelRowReader _rows = readModels ?? NoReadModelRows.Instance;

    /// <summary>How often a timer firing retries after losing a race with another command. Default is 5.</summary>
    public int TimerConflictRetries { get; init; } = 5;

    private readonly ConcurrentDictionary<string, WorkflowEngine> _engines = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions PayloadJson = JournalSerializer.Options;

    public async Task<InstanceRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var pinned = await catalog.PinAsync(request.DefinitionKey, now, cancellationToken).ConfigureAwait(false);
        var engine = await EngineForAsync(pinned, cancellationToken).ConfigureAwait(false);
        var decision = engine.Decide(InstanceState.Empty, new StartInstance(request.DefinitionKey, request.Variables) { Actor = request.Actor, Context = context?.At(now) }, now);
        var record = new InstanceRecord
        {
            Id = request.InstanceId ?? Guid.CreateVersion7(now),
            DefinitionKey = request.DefinitionKey,
            DefinitionVersion = pinned[request.DefinitionKey],
            Channel = request.Channel,
            CustomerRef = request.CustomerRef,
            Agent = request.Agent,
            Status = decision.State.Status,
            Version = 0,
            Snapshot = InstanceState.Empty.ToJson(),
            PinnedVersions = pinned,
            StartedAt = now,
            UpdatedAt = now,
            ParentInstanceId = request.ParentInstanceId,
        };
        var committed = await CommitAsync(record, InstanceState.Empty, decision, now, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Started {InstanceId}: {DefinitionKey} v{DefinitionVersion} on {Channel} for {Agent}", committed.Id, committed.DefinitionKey, committed.DefinitionVersion, committed.Channel, committed.Agent);
        return committed;
    }

    /// <summary>Completes a work item. <paramref name="expectedVersion"/>, when given, must be the instance's current version.</summary>
    public Task<InstanceRecord> CompleteWorkItemAsync(Guid instanceId, long workItemId, string? outcome, IReadOnlyDictionary<string, Value>? data, string actor, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(instanceId, new CompleteWorkItem(workItemId, outcome, data) { Actor = actor }, expectedVersion, cancellationToken);

    /// <summary>A customer's message; a repeated <paramref name="messageId"/> changes nothing.</summary>
    public Task<InstanceRecord> DeliverMessageAsync(Guid instanceId, string? text, string? messageId, string? actor = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(instanceId, new DeliverMessage("customer-message", text, messageId) { Actor = actor }, null, cancellationToken);

    public Task<InstanceRecord> CancelAsync(Guid instanceId, string reason, string actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(instanceId, new CancelInstance(reason) { Actor = actor }, null, cancellationToken);

    /// <summary>Journals a fact beside the flow (a ticket note, say) without moving it.</summary>
    public Task<InstanceRecord> AnnotateAsync(Guid instanceId, string kind, IReadOnlyDictionary<string, Value>? data, string actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(instanceId, new Annotate(kind, data) { Actor = actor }, null, cancellationToken);

    /// <summary>
    /// Decides several commands one after the other on the instance and commits all their events
    /// in one transaction, or none (an SLA pause: the annotation and the held timers together).
    /// <paramref name="prepare"/> sees the current record, state and time and returns the commands; it runs again
    /// after a conflict with another command, up to <see cref="TimerConflictRetries"/> times.
    /// </summary>
    public async Task<InstanceRecord> ExecuteManyAsync(Guid instanceId, Func<InstanceRecord, InstanceState, DateTimeOffset, CancellationToken, Task<List<WorkflowCommand>>> prepare, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        for (var attempt = 1; ; attempt++)
        {
            var record = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            var state = InstanceState.FromJson(record.Snapshot);
            var now = clock.GetUtcNow();
            var commands = await prepare(record, state, now, cancellationToken).ConfigureAwait(false);
            try
            {
                return await DecideAndCommitAsync(record, state, commands, now, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < TimerConflictRetries)
            {
                logger.LogDebug("Commands on {InstanceId} lost a race (attempt {Attempt}); retrying", instanceId, attempt);
            }
        }
    }

    /// <summary>
    /// Fires a timer if it is pending and due by the runtime's clock; otherwise nothing is written
    /// and the outcome says why. A race with another command on the same instance is retried,
    /// because a timer firing must not be lost.
    /// </summary>
    public async Task<TimerFiring> FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var record = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                logger.LogWarning("Timer {TimerId} fired for {InstanceId}, which does not exist; ignored", timerId, instanceId);
                return new TimerFiring(TimerFiringOutcome.InstanceMissing);
            }

            var state = InstanceState.FromJson(record.Snapshot);
            var timer = state.IsRunning ? state.Timers.FirstOrDefault(t => t.Id == timerId) : null;
            if (timer is null || timer.Held)
            {
                return new TimerFiring(TimerFiringOutcome.NotPending);
            }

            var now = clock.GetUtcNow();
            if (timer.DueAt > now)
            {
                return new TimerFiring(TimerFiringOutcome.NotDue, timer.DueAt);
            }

            try
            {
                await DecideAndCommitAsync(record, state, [new FireTimer(timerId)], now, cancellationToken).ConfigureAwait(false);
                return new TimerFiring(TimerFiringOutcome.Fired);
            }
            catch (ConcurrencyConflictException) when (attempt < TimerConflictRetries)
            {
                logger.LogDebug("Timer {TimerId} of {InstanceId} lost a race (attempt {Attempt}); retrying", timerId, instanceId, attempt);
            }
        }
    }

    public async Task<InstanceRecord> GetAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);

    /// <summary>The instance's state, rebuilt from its snapshot.</summary>
    public async Task<InstanceState> GetStateAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        InstanceState.FromJson((await GetAsync(instanceId, cancellationToken).ConfigureAwait(false)).Snapshot);

    public Task<IReadOnlyList<InstanceRecord>> QueryAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        store.QueryAsync(query, cancellationToken);

    /// <summary>The journal as engine events, in sequence order.</summary>
    public async Task<IReadOnlyList<WorkflowEvent>> ReadJournalAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var rows = await store.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => JournalSerializer.Deserialize(r.Json))];
    }

    /// <summary>A stable instance id for something that must happen once per source (e.g. one ticket per complaint event).</summary>
    public static Guid DeterministicId(string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private async Task<InstanceRecord> ExecuteAsync(Guid instanceId, WorkflowCommand command, long? expectedVersion, CancellationToken cancellationToken)
    {
        var record = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (expectedVersion is { } expected && expected != record.Version)
        {
            throw new ConcurrencyConflictException(instanceId, expected, $"instance {instanceId} is at version {record.Version}, not {expected}: someone acted on it first; reload and try again");
        }

        return await DecideAndCommitAsync(record, InstanceState.FromJson(record.Snapshot), [command], clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides the commands one after the other on <paramref name="state"/>, each with the context
    /// of <paramref name="now"/>, and commits all their events in one transaction; the record as it
    /// was when no command produced an event.
    /// </summary>
    private async Task<InstanceRecord> DecideAndCommitAsync(InstanceRecord record, InstanceState state, IEnumerable<WorkflowCommand> commands, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var engine = await EngineForAsync(record.PinnedVersions, cancellationToken).ConfigureAwait(false);
        var current = state;
        var events = new List<WorkflowEvent>();
        foreach (var command in commands)
        {
            var step = engine.Decide(current, context is null ? command : command with { Context = context.At(now) }, now);
            events.AddRange(step.Events);
            current = step.State;
        }

        return events.Count == 0
            ? record
            : await CommitAsync(record, state, new Decision(events, current), now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<InstanceRecord> CommitAsync(InstanceRecord before, InstanceState oldState, Decision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = decision.State;
        var journal = decision.Events
            .Select(e => new JournalRecord(before.Id, e.Sequence, JournalSerializer.TypeNameOf(e), e.At, e.Actor, JournalSerializer.Serialize(e)))
            .ToList();
        var oldTimers = oldState.Timers.ToDictionary(t => t.Id);
        var newTimers = state.Timers.ToDictionary(t => t.Id);

        // A held timer has no pending row; a moved one is removed and armed again.
        var shard = TimerShards.Of(before.Id, timerOptions.Shards);
        var armed = state.Timers
            .Where(t => !t.Held && (!oldTimers.TryGetValue(t.Id, out var old) || old.Held || old.DueAt != t.DueAt))
            .Select(t => new TimerRecord(before.Id, t.Id, t.ElementId, t.DueAt, shard))
            .ToList();
        var removed = oldTimers.Values
            .Where(old => !old.Held && (!newTimers.TryGetValue(old.Id, out var current) || current.Held || current.DueAt != old.DueAt))
            .Select(old => old.Id)
            .ToList();
        var after = before with
        {
            Status = state.Status,
            Version = state.Version,
            Snapshot = state.ToJson(),
            UpdatedAt = now,
            EndedAt = state.EndedAt,
        };

        // The read models change in the same transaction as the instance, so a screen that reads
        // them is never behind it.
        var readModels = ReadModelChanges.None;
        if (_projections.Length > 0)
        {
            var projected = new ProjectedCommit(before, oldState, after, state, decision.Events, _rows);
            foreach (var projection in _projections)
            {
                readModels = readModels.Then(await projection.ProjectAsync(projected, cancellationToken).ConfigureAwait(false));
            }
        }

        await store.CommitAsync(
            new InstanceCommit
            {
                Instance = after,
                ExpectedVersion = before.Version,
                Events = journal,
                TimersArmed = armed,
                TimersRemoved = removed,
                Outbox = OutboxFor(after, decision.Events, now),
                ReadModels = readModels,
            },
            cancellationToken).ConfigureAwait(false);

        foreach (var observer in _observers)
        {
            try
            {
                observer.Committed(after, decision.Events);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Observer {Observer} failed on {InstanceId}", observer.GetType().Name, after.Id);
            }
        }

        return after;
    }

    /// <summary>Prompts to customers and service requests, written with the events that caused them.</summary>
    private static List<OutboxRecord> OutboxFor(InstanceRecord instance, IReadOnlyList<WorkflowEvent> events, DateTimeOffset now)
    {
        var outbox = new List<OutboxRecord>();
        foreach (var e in events)
        {
            var (kind, payload) = e switch
            {
                PromptSent prompt => ("prompt", JsonSerializer.Serialize(new PromptPayload(instance.Id, instance.Channel, instance.CustomerRef, prompt.ElementId, prompt.Step, prompt.Text), PayloadJson)),
                ServiceInvoked service => ("service:" + service.ServiceKind, JsonSerializer.Serialize(new ServicePayload(instance.Id, instance.DefinitionKey, instance.Channel, instance.CustomerRef, instance.Agent, service.ElementId, service.ServiceKind, service.Data), PayloadJson)),
                _ => (null, null),
            };
            if (kind is null)
            {
                continue;
            }

            var key = $"{instance.Id:N}:{e.Sequence}";
            outbox.Add(new OutboxRecord
            {
                Id = DeterministicId(key),
                IdempotencyKey = key,
                Kind = kind,
                InstanceId = instance.Id,
                Payload = payload!,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }

        return outbox;
    }

    private async Task<WorkflowEngine> EngineForAsync(IReadOnlyDictionary<string, int> pinned, CancellationToken cancellationToken)
    {
        var signature = string.Join(';', pinned.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (_engines.TryGetValue(signature, out var engine))
        {
            return engine;
        }

        var set = await catalog.DefinitionSetAsync(pinned, cancellationToken).ConfigureAwait(false);
        return _engines.GetOrAdd(signature, new WorkflowEngine(set, deadlines));
    }
}

/// <summary>The outbox payload of a prompt to a customer.</summary>
public sealed record PromptPayload(Guid InstanceId, string Channel, string? CustomerRef, string ElementId, string? Step, string Text);

/// <summary>The outbox payload of a service task: what the runtime is asked to do.</summary>
public sealed record ServicePayload(Guid InstanceId, string DefinitionKey, string Channel, string? CustomerRef, string? Agent, string ElementId, string ServiceKind, IReadOnlyDictionary<string, Value> Data);

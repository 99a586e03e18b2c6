using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Outbox;
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
    IOutboxWakeUp? outboxWakeUp = null,
    IEnumerable<ICommitProjection>? projections = null,
    IReadModelRowReader? readModels = null) : ITimerSink
{
    private readonly IInstanceObserver[] _observers = observers?.ToArray() ?? [];

    // The state each command leaves, kept parsed for the next command on the instance.
    private readonly ParsedStates _states = new();

    private readonly ICommitProjection[] _projections = projections?.ToArray() ?? [];

    private readonly IReadModelRowReader _rows = readModels ?? NoReadModelRows.Instance;

    /// <summary>How often a timer firing retries after losing a race with another command. Default is 5.</summary>
    public int TimerConflictRetries { get; init; } = 5;

    /// <summary>
    /// Most engines kept, one per set of pinned definition versions. Default is 256: the published
    /// sets are few, but every mix of versions pinned by running instances (a call activity pinned
    /// at its parent's start) is a set of its own, and over months of publishing they add up.
    /// </summary>
    public int MaxCachedEngines { get; init; } = 256;

    private LruCache<string, WorkflowEngine>? _engines;

    // Built on first use, after init has set MaxCachedEngines; one cache wins if two threads race.
    private LruCache<string, WorkflowEngine> Engines =>
        LazyInitializer.EnsureInitialized(ref _engines, () => new LruCache<string, WorkflowEngine>(MaxCachedEngines, StringComparer.Ordinal));

    private static readonly JsonSerializerOptions PayloadJson = JournalSerializer.Options;

    /// <summary>The operation name of every command's span; its display name says which command.</summary>
    public const string CommandSpan = "contactcenter.command";

    public async Task<InstanceRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = StartCommand(CommandNames.Start, request.InstanceId, request.Channel);
        try
        {
            var started = await StartCoreAsync(request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(Telemetry.Tags.InstanceId, started.Id);
            CommandEnded(activity, CommandNames.Start, started.Channel, CommandOutcome.Committed);
            return started;
        }
        catch (Exception e)
        {
            CommandFailed(activity, CommandNames.Start, request.Channel, e);
            throw;
        }
    }

    private async Task<InstanceRecord> StartCoreAsync(StartRequest request, CancellationToken cancellationToken)
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

    /// <summary>The kind of the annotation that keeps the script a person saw when they completed a step (<see cref="ShownScriptKeys"/>).</summary>
    public const string ScriptShownKind = "script-shown";

    /// <summary>The fields of a <see cref="ScriptShownKind"/> annotation.</summary>
    public static class ShownScriptKeys
    {
        public const string WorkItem = "workItem";
        public const string Script = "script";
    }

    /// <summary>
    /// Completes a work item. <paramref name="expectedVersion"/>, when given, must be the instance's
    /// current version. <paramref name="shownScript"/> is the script as the person saw it when they
    /// completed it (<see cref="TaskScripts"/>): when it is not the text the step opened with (a
    /// greeting that changed at 18:00 while the step waited), a <see cref="ScriptShownKind"/>
    /// annotation keeps it in the same commit, so Quality Control judges what was on the screen.
    /// </summary>
    public Task<InstanceRecord> CompleteWorkItemAsync(Guid instanceId, long workItemId, string? outcome, IReadOnlyDictionary<string, Value>? data, string actor, long? expectedVersion = null, string? shownScript = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CommandNames.CompleteWorkItem, instanceId, state =>
        {
            var complete = new CompleteWorkItem(workItemId, outcome, data) { Actor = actor };
            return shownScript is not null && state.WorkItems.FirstOrDefault(w => w.Id == workItemId) is { } item && !string.Equals(item.Script, shownScript, StringComparison.Ordinal)
                ?
                [
                    new Annotate(ScriptShownKind, new Dictionary<string, Value>(StringComparer.Ordinal)
                    {
                        [ShownScriptKeys.WorkItem] = workItemId,
                        [ShownScriptKeys.Script] = shownScript,
                    }) { Actor = actor },
                    complete,
                ]
                : [complete];
        }, expectedVersion, cancellationToken);

    /// <summary>A customer's message; a repeated <paramref name="messageId"/> changes nothing.</summary>
    public Task<InstanceRecord> DeliverMessageAsync(Guid instanceId, string? text, string? messageId, string? actor = null, CancellationToken cancellationToken = default) =>
        DeliverMessageAsync(instanceId, "customer-message", text, messageId, actor, cancellationToken);

    /// <summary>A message of the name <paramref name="messageName"/> (a flow's <c>bpmn:message</c>); a repeated <paramref name="messageId"/> changes nothing.</summary>
    public Task<InstanceRecord> DeliverMessageAsync(Guid instanceId, string messageName, string? text, string? messageId, string? actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CommandNames.DeliverMessage, instanceId, new DeliverMessage(messageName, text, messageId) { Actor = actor }, null, cancellationToken);

    public Task<InstanceRecord> CancelAsync(Guid instanceId, string reason, string actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CommandNames.Cancel, instanceId, new CancelInstance(reason) { Actor = actor }, null, cancellationToken);

    /// <summary>Journals a fact beside the flow (a ticket note, say) without moving it.</summary>
    public Task<InstanceRecord> AnnotateAsync(Guid instanceId, string kind, IReadOnlyDictionary<string, Value>? data, string actor, CancellationToken cancellationToken = default) =>
        ExecuteAsync(CommandNames.Annotate, instanceId, new Annotate(kind, data) { Actor = actor }, null, cancellationToken);

    /// <summary>
    /// Decides several commands one after the other on the instance and commits all their events
    /// in one transaction, or none (an SLA pause: the annotation and the held timers together).
    /// <paramref name="prepare"/> sees the current record, state and time and returns the commands; it runs again
    /// after a conflict with another command (after a <see cref="ConflictBackOff"/> pause), up to <see cref="TimerConflictRetries"/> times.
    /// </summary>
    public async Task<InstanceRecord> ExecuteManyAsync(Guid instanceId, Func<InstanceRecord, InstanceState, DateTimeOffset, CancellationToken, Task<List<WorkflowCommand>>> prepare, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        using var activity = StartCommand(CommandNames.ExecuteMany, instanceId, null);
        string? channel = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var record = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
                channel = record.Channel;
                var state = _states.StateOf(record);
                var now = clock.GetUtcNow();
                var commands = await prepare(record, state, now, cancellationToken).ConfigureAwait(false);
                try
                {
                    var after = await DecideAndCommitAsync(record, state, commands, now, cancellationToken).ConfigureAwait(false);
                    CommandEnded(activity, CommandNames.ExecuteMany, channel, ReferenceEquals(after, record) ? CommandOutcome.Unchanged : CommandOutcome.Committed);
                    return after;
                }
                catch (ConcurrencyConflictException) when (attempt < TimerConflictRetries)
                {
                    logger.LogDebug("Commands on {InstanceId} lost a race (attempt {Attempt}); retrying", instanceId, attempt);
                    activity?.AddEvent(new ActivityEvent("retry after conflict"));
                    await ConflictBackOff.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)
        {
            CommandFailed(activity, CommandNames.ExecuteMany, channel, e);
            throw;
        }
    }

    /// <summary>
    /// Fires a timer if it is pending and due by the runtime's clock; otherwise nothing is written
    /// and the outcome says why. A race with another command on the same instance is retried,
    /// because a timer firing must not be lost.
    /// </summary>
    public async Task<TimerFiring> FireAsync(Guid instanceId, long timerId, CancellationToken cancellationToken = default)
    {
        using var activity = StartCommand(CommandNames.FireTimer, instanceId, null);
        activity?.SetTag(Telemetry.Tags.TimerId, timerId);
        var channel = new StrongBox<string?>();
        try
        {
            var firing = await FireCoreAsync(instanceId, timerId, channel, activity, cancellationToken).ConfigureAwait(false);
            CommandEnded(activity, CommandNames.FireTimer, channel.Value, firing.Outcome == TimerFiringOutcome.Fired ? CommandOutcome.Committed : CommandOutcome.Unchanged);
            return firing;
        }
        catch (Exception e)
        {
            CommandFailed(activity, CommandNames.FireTimer, channel.Value, e);
            throw;
        }
    }

    private async Task<TimerFiring> FireCoreAsync(Guid instanceId, long timerId, StrongBox<string?> channel, Activity? activity, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var record = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                logger.LogWarning("Timer {TimerId} fired for {InstanceId}, which does not exist; ignored", timerId, instanceId);
                return new TimerFiring(TimerFiringOutcome.InstanceMissing);
            }

            channel.Value = record.Channel;

            var state = _states.StateOf(record);
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
                activity?.AddEvent(new ActivityEvent("retry after conflict"));
                await ConflictBackOff.WaitAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Moves the instance onto <paramref name="pinned"/> (its key at the new version, the flows the
    /// new version calls at theirs) by <paramref name="command"/>, provided it is still at
    /// <paramref name="expectedVersion"/>: one commit, all or nothing. Timers keep their due time;
    /// their rows are armed again under the elements they now stand on.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The instance changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="WorkflowCommandRejectedException">The engine refuses the move (<see cref="InstanceMigration.Check"/>).</exception>
    public async Task<InstanceRecord> MigrateAsync(Guid instanceId, long expectedVersion, MigrateInstance command, IReadOnlyDictionary<string, int> pinned, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(pinned);
        using var activity = StartCommand(CommandNames.Migrate, instanceId, null);
        string? channel = null;
        try
        {
            var record = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            channel = record.Channel;
            if (record.Version != expectedVersion)
            {
                throw new ConcurrencyConflictException(instanceId, expectedVersion, $"instance {instanceId} changed since the dry run: its journal is at {record.Version}, the dry run saw {expectedVersion}; run the dry run again");
            }

            var set = await MigrationSetAsync(command, pinned, cancellationToken).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            var state = _states.StateOf(record);
            var decision = new WorkflowEngine(set, deadlines).Decide(state, context is null ? command : command with { Context = context.At(now) }, now);
            var moved = record with
            {
                DefinitionVersion = record.DefinitionKey == command.DefinitionKey ? pinned[command.DefinitionKey] : record.DefinitionVersion,
                PinnedVersions = new SortedDictionary<string, int>(pinned.ToDictionary(), StringComparer.Ordinal),
            };
            var after = await CommitAsync(moved, state, decision, now, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Migrated {InstanceId}: {DefinitionKey} v{FromVersion} -> v{ToVersion} by {Actor}", instanceId, command.DefinitionKey, command.FromVersion, pinned[command.DefinitionKey], command.Actor);
            CommandEnded(activity, CommandNames.Migrate, channel, CommandOutcome.Committed);
            return after;
        }
        catch (Exception e)
        {
            CommandFailed(activity, CommandNames.Migrate, channel, e);
            throw;
        }
    }

    /// <summary>
    /// What a move of <paramref name="command"/> is decided on: <paramref name="pinned"/>, and the
    /// version the instance leaves (unpinned), for the engine to check the mapping against.
    /// </summary>
    public async Task<DefinitionSet> MigrationSetAsync(MigrateInstance command, IReadOnlyDictionary<string, int> pinned, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var set = await catalog.DefinitionSetAsync(pinned, cancellationToken).ConfigureAwait(false);
        return set.AddVersion(await catalog.LoadAsync(command.DefinitionKey, command.FromVersion, cancellationToken).ConfigureAwait(false), command.FromVersion);
    }

    public async Task<InstanceRecord> GetAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);

    /// <summary>The instance's state, rebuilt from its snapshot.</summary>
    public async Task<InstanceState> GetStateAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        StateOf(await GetAsync(instanceId, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The state <paramref name="record"/>'s snapshot holds: the one this runtime kept parsed when it
    /// committed that snapshot, else parsed from it. The engine never changes a state it is given,
    /// so the same instance may be handed to several readers.
    /// </summary>
    public InstanceState StateOf(InstanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _states.StateOf(record);
    }

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

    private Task<InstanceRecord> ExecuteAsync(string name, Guid instanceId, WorkflowCommand command, long? expectedVersion, CancellationToken cancellationToken) =>
        ExecuteAsync(name, instanceId, _ => [command], expectedVersion, cancellationToken);

    /// <summary>The commands <paramref name="commandsFor"/> gives for the current state, decided and committed together.</summary>
    private async Task<InstanceRecord> ExecuteAsync(string name, Guid instanceId, Func<InstanceState, IReadOnlyList<WorkflowCommand>> commandsFor, long? expectedVersion, CancellationToken cancellationToken)
    {
        using var activity = StartCommand(name, instanceId, null);
        string? channel = null;
        try
        {
            var record = await GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
            channel = record.Channel;
            if (expectedVersion is { } expected && expected != record.Version)
            {
                throw new ConcurrencyConflictException(instanceId, expected, $"instance {instanceId} is at version {record.Version}, not {expected}: someone acted on it first; reload and try again");
            }

            var state = _states.StateOf(record);
            var after = await DecideAndCommitAsync(record, state, commandsFor(state), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            CommandEnded(activity, name, channel, ReferenceEquals(after, record) ? CommandOutcome.Unchanged : CommandOutcome.Committed);
            return after;
        }
        catch (Exception e)
        {
            CommandFailed(activity, name, channel, e);
            throw;
        }
    }

    /// <summary>A command's span, a child of the caller's (an HTTP request, a timer firing); null when nobody listens.</summary>
    private static Activity? StartCommand(string name, Guid? instanceId, string? channel)
    {
        var activity = Telemetry.Source.StartActivity(CommandSpan);
        if (activity is { IsAllDataRequested: true })
        {
            activity.DisplayName = "command " + name;
            activity.SetTag(Telemetry.Tags.InstanceId, instanceId);
            activity.SetTag(Telemetry.Tags.Channel, channel);
        }

        return activity;
    }

    private static void CommandEnded(Activity? activity, string name, string? channel, string outcome)
    {
        var tags = new TagList { { Telemetry.Tags.Command, name }, { Telemetry.Tags.Outcome, outcome } };
        if (channel is not null)
        {
            tags.Add(Telemetry.Tags.Channel, channel);
        }

        Telemetry.Commands.Add(1, tags);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Telemetry.Tags.Outcome, outcome);
            activity.SetTag(Telemetry.Tags.Channel, channel);
        }
    }

    private static void CommandFailed(Activity? activity, string name, string? channel, Exception error)
    {
        var outcome = error switch
        {
            ConcurrencyConflictException => CommandOutcome.Conflict,
            InstanceNotFoundException => CommandOutcome.NotFound,
            WorkflowCommandRejectedException => CommandOutcome.Rejected,
            OperationCanceledException => CommandOutcome.Cancelled,
            _ => CommandOutcome.Failed,
        };
        CommandEnded(activity, name, channel, outcome);
        activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
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
            .Where(t => !t.Held && (!oldTimers.TryGetValue(t.Id, out var old) || old.Held || old.DueAt != t.DueAt || old.ElementId != t.ElementId))
            .Select(t => new TimerRecord(before.Id, t.Id, t.ElementId, t.DueAt, shard) { TraceParent = Telemetry.CurrentTraceParent() })
            .ToList();
        var removed = oldTimers.Values
            .Where(old => !old.Held && (!newTimers.TryGetValue(old.Id, out var current) || current.Held || current.DueAt != old.DueAt || current.ElementId != old.ElementId))
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

        // A service call carries its element's name and text from the flow, for whoever reads the notice.
        WorkflowDefinition? definition = null;
        if (decision.Events.Any(e => e is ServiceInvoked))
        {
            var engine = await EngineForAsync(after.PinnedVersions, cancellationToken).ConfigureAwait(false);
            engine.Definitions.TryGet(after.DefinitionKey, out definition, out _);
        }

        var outbox = OutboxFor(after, decision.Events, now, definition);
        var started = Stopwatch.GetTimestamp();
        await store.CommitAsync(
            new InstanceCommit
            {
                Instance = after,
                ExpectedVersion = before.Version,
                Events = journal,
                TimersArmed = armed,
                TimersRemoved = removed,
                Outbox = outbox,
                ReadModels = readModels,
            },
            cancellationToken).ConfigureAwait(false);
        _states.Remember(after, state);
        Telemetry.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Telemetry.CommandEvents.Record(decision.Events.Count);
        Committed(Activity.Current, after, decision.Events.Count, armed);

        if (outbox.Count > 0 && outboxWakeUp is not null)
        {
            try
            {
                outboxWakeUp.RowsWritten();
            }
            catch (Exception e)
            {
                // The rows are committed; the next poll delivers them.
                logger.LogWarning(e, "Outbox wake-up failed after a commit of {InstanceId}", after.Id);
            }
        }

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

    /// <summary>The command's span learns what it wrote, and an event per timer it armed (a firing links back to this span).</summary>
    private static void Committed(Activity? activity, InstanceRecord after, int events, List<TimerRecord> armed)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag(Telemetry.Tags.Definition, after.DefinitionKey);
        activity.SetTag(Telemetry.Tags.Events, events);
        activity.SetTag(Telemetry.Tags.State, after.Status.ToString());
        foreach (var timer in armed)
        {
            activity.AddEvent(new ActivityEvent("timer armed", tags: new ActivityTagsCollection
            {
                [Telemetry.Tags.TimerId] = timer.TimerId,
                [Telemetry.Tags.TimerElement] = timer.ElementId,
                [Telemetry.Tags.TimerDueAt] = timer.DueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }

    /// <summary>Prompts to customers and service requests, written with the events that caused them.</summary>
    private static List<OutboxRecord> OutboxFor(InstanceRecord instance, IReadOnlyList<WorkflowEvent> events, DateTimeOffset now, WorkflowDefinition? definition)
    {
        var outbox = new List<OutboxRecord>();
        foreach (var e in events)
        {
            var (kind, payload) = e switch
            {
                PromptSent prompt => ("prompt", JsonSerializer.Serialize(new PromptPayload(instance.Id, instance.Channel, instance.CustomerRef, prompt.ElementId, prompt.Step, prompt.Text), PayloadJson)),
                ServiceInvoked service => ("service:" + service.ServiceKind, JsonSerializer.Serialize(ServicePayload.Of(instance, service, definition?.Nodes.GetValueOrDefault(service.ElementId)), PayloadJson)),
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
        if (Engines.TryGet(signature, out var engine))
        {
            return engine;
        }

        var set = await catalog.DefinitionSetAsync(pinned, cancellationToken).ConfigureAwait(false);
        return Engines.GetOrAdd(signature, new WorkflowEngine(set, deadlines));
    }
}

/// <summary>The <see cref="Telemetry.Tags.Command"/> values (and span names) of the runtime's commands.</summary>
public static class CommandNames
{
    public const string Start = "start";
    public const string CompleteWorkItem = "complete_work_item";
    public const string DeliverMessage = "deliver_message";
    public const string Cancel = "cancel";
    public const string Annotate = "annotate";
    public const string ExecuteMany = "execute_many";
    public const string FireTimer = "fire_timer";
    public const string Migrate = "migrate";
}

/// <summary>The <see cref="Telemetry.Tags.Outcome"/> values of <see cref="Telemetry.Commands"/>.</summary>
public static class CommandOutcome
{
    /// <summary>Events were committed.</summary>
    public const string Committed = "committed";

    /// <summary>The command produced no event (a repeated message, a timer no longer pending): nothing was written.</summary>
    public const string Unchanged = "unchanged";

    public const string Conflict = "conflict";
    public const string NotFound = "not_found";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}

/// <summary>The outbox payload of a prompt to a customer.</summary>
public sealed record PromptPayload(Guid InstanceId, string Channel, string? CustomerRef, string ElementId, string? Step, string Text);

/// <summary>The outbox payload of a service task: what the runtime is asked to do.</summary>
/// <param name="ElementName">The service task's name in the flow.</param>
/// <param name="ElementText">The service task's <c>cc:script</c>, else its documentation: what a notice it raises says.</param>
/// <param name="ElementPerformer">The <c>cc:performer</c> of the service task's lane: whose work it is.</param>
public sealed record ServicePayload(
    Guid InstanceId,
    string DefinitionKey,
    string Channel,
    string? CustomerRef,
    string? Agent,
    string ElementId,
    string ServiceKind,
    IReadOnlyDictionary<string, Value> Data,
    string? ElementName = null,
    string? ElementText = null,
    string? ElementPerformer = null)
{
    internal static ServicePayload Of(InstanceRecord instance, ServiceInvoked service, FlowNode? element) => new(
        instance.Id,
        instance.DefinitionKey,
        instance.Channel,
        instance.CustomerRef,
        instance.Agent,
        service.ElementId,
        service.ServiceKind,
        service.Data,
        element?.Name,
        element?.Script ?? element?.Documentation,
        element?.Performer);
}

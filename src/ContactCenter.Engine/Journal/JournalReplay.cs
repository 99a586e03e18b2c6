using ContactCenter.Engine.Expressions;

namespace ContactCenter.Engine.Journal;

/// <summary>Where a replay first disagreed with the journal.</summary>
/// <param name="Sequence">The journal sequence number of the first event that differs (or is missing, or extra).</param>
/// <param name="Expected">The journal's event there, as JSON; null when the replay produced more events than the journal has.</param>
/// <param name="Actual">What the replay produced there, as JSON; null when it produced nothing there.</param>
/// <param name="Reason">In words.</param>
public sealed record ReplayDivergence(long Sequence, string? Expected, string? Actual, string Reason);

/// <summary>The outcome of replaying a journal: how far it went and, if it did not match, where it first diverged.</summary>
public sealed record ReplayReport(int CommandsReplayed, int EventsChecked, int EventsInJournal, ReplayDivergence? Divergence)
{
    public bool Matches => Divergence is null;
}

/// <summary>
/// Exact replay: rebuilds the commands an instance received from its journal (its inputs: the
/// start, completed work items, customer messages, fired timers, cancellation, timer moves and
/// annotations, each with the context variables journaled before it), decides them again on the
/// given engine at the journaled instants, and checks that every event produced equals the
/// journal's, byte for byte as JSON. A tampered, truncated or reordered journal, or a definition
/// that no longer behaves as it did, shows up as the first divergence.
/// </summary>
/// <remarks>
/// Due times of SLA timers (<c>cc:slaPolicy</c>) depend on calendar data outside the definition
/// (holidays added later must not make an old history fail), so the replay takes them from the
/// journal's own <c>timer-scheduled@1</c> events in order; plain timers are recomputed and checked.
/// </remarks>
public static class JournalReplay
{
    /// <summary>The element id under which context variables are journaled.</summary>
    public const string ContextElement = "$context";

    /// <summary>Replays <paramref name="journal"/> on <paramref name="definitions"/>.</summary>
    public static ReplayReport Verify(DefinitionSet definitions, IReadOnlyList<WorkflowEvent> journal, int maxTransitionsPerCommand = 10_000)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(journal);
        var engine = new WorkflowEngine(definitions, new RecordedSlaDeadlines(journal)) { MaxTransitionsPerCommand = maxTransitionsPerCommand };
        var state = InstanceState.Empty;
        var commands = 0;
        var i = 0;
        while (i < journal.Count)
        {
            var start = journal[i];
            if (start.Sequence != i + 1)
            {
                return Diverged(commands, i, journal, start.Sequence, Json(start), null, $"expected sequence number {i + 1}: the journal has a gap or is out of order");
            }

            var command = CommandAt(journal, i);
            if (command is null)
            {
                return Diverged(commands, i, journal, start.Sequence, Json(start), null, $"{JournalSerializer.TypeNameOf(start)} cannot begin a command: no input of the instance produces it here");
            }

            if (command is MigrateInstance && MigrationAt(journal, i) is { } migrated)
            {
                // The move is decided on the versions it pinned, as it was live; from here on the
                // instance runs on them.
                try
                {
                    engine = new WorkflowEngine(definitions.WithPinned(migrated.Pinned), engine.Deadlines) { MaxTransitionsPerCommand = maxTransitionsPerCommand };
                }
                catch (KeyNotFoundException missing)
                {
                    return Diverged(commands, i, journal, migrated.Sequence, Json(migrated), null, $"the migration cannot be replayed: {missing.Message}");
                }
            }

            IReadOnlyList<WorkflowEvent> produced;
            try
            {
                var decision = engine.Decide(state, command, start.At);
                produced = decision.Events;
                state = decision.State;
            }
            catch (WorkflowCommandRejectedException rejected)
            {
                return Diverged(commands, i, journal, start.Sequence, Json(start), null, $"the engine refuses the recorded {command.GetType().Name}: {rejected.Message}");
            }

            commands++;
            if (produced.Count == 0)
            {
                return Diverged(commands, i, journal, start.Sequence, Json(start), null, $"the recorded {command.GetType().Name} produces no event on replay");
            }

            for (var k = 0; k < produced.Count; k++)
            {
                var actual = Json(produced[k]);
                if (i + k >= journal.Count)
                {
                    return Diverged(commands, i + k, journal, produced[k].Sequence, null, actual, "the replay produces more events than the journal holds");
                }

                var expected = Json(journal[i + k]);
                if (!string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    return Diverged(commands, i + k, journal, journal[i + k].Sequence, expected, actual, "the replayed event differs from the journal's");
                }
            }

            i += produced.Count;
        }

        return new ReplayReport(commands, i, journal.Count, null);
    }

    /// <summary>The definition keys and versions a journal ran on (its start and every called scope).</summary>
    public static IReadOnlyDictionary<string, int> PinnedVersionsOf(IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var pinned = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in journal)
        {
            switch (e)
            {
                case InstanceStarted started:
                    pinned.TryAdd(started.DefinitionKey, started.DefinitionVersion);
                    break;
                case ScopeStarted scope:
                    pinned.TryAdd(scope.DefinitionKey, scope.DefinitionVersion);
                    break;
            }
        }

        return pinned;
    }

    /// <summary>
    /// Every definition version a journal names: its start, its called scopes, and every version a
    /// migration moved it to or pinned. A replay needs them all in its set.
    /// </summary>
    public static IReadOnlyList<(string Key, int Version)> VersionsOf(IEnumerable<WorkflowEvent> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var versions = new SortedSet<(string Key, int Version)>();
        foreach (var e in journal)
        {
            switch (e)
            {
                case InstanceStarted started:
                    versions.Add((started.DefinitionKey, started.DefinitionVersion));
                    break;
                case ScopeStarted scope:
                    versions.Add((scope.DefinitionKey, scope.DefinitionVersion));
                    break;
                case InstanceMigrated migrated:
                    versions.Add((migrated.DefinitionKey, migrated.FromVersion));
                    foreach (var (key, version) in migrated.Pinned)
                    {
                        versions.Add((key, version));
                    }

                    break;
            }
        }

        return [.. versions];
    }

    /// <summary>The migration event of the command beginning at <paramref name="index"/> (after its context, if any).</summary>
    private static InstanceMigrated? MigrationAt(IReadOnlyList<WorkflowEvent> journal, int index) =>
        journal[index] as InstanceMigrated ?? (index + 1 < journal.Count ? journal[index + 1] as InstanceMigrated : null);

    /// <summary>The command whose events begin at <paramref name="index"/>, with its context; null when none does.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Returns every kind of command; the analyzer misreads the 'with' expression.")]
    private static WorkflowCommand? CommandAt(IReadOnlyList<WorkflowEvent> journal, int index)
    {
        var e = journal[index];
        if (e is InstanceStarted started)
        {
            // The start journals its context right after InstanceStarted.
            var context = index + 1 < journal.Count && journal[index + 1] is VariablesSet { ElementId: ContextElement } set && set.Sequence == e.Sequence + 1 ? set.Values : null;
            return new StartInstance(started.DefinitionKey, started.Variables) { Actor = e.Actor, Context = context };
        }

        IReadOnlyDictionary<string, Value>? commandContext = null;
        if (e is VariablesSet { ElementId: ContextElement } before)
        {
            if (index + 1 >= journal.Count)
            {
                return null;
            }

            commandContext = before.Values;
            e = journal[index + 1];
        }

        WorkflowCommand? command = e switch
        {
            WorkItemCompleted completed => new CompleteWorkItem(completed.WorkItemId, completed.Outcome, completed.Data),
            MessageReceived message => new DeliverMessage(message.MessageName, message.Text, message.MessageId),
            TimerFired fired => new FireTimer(fired.TimerId),
            InstanceCancelled cancelled => new CancelInstance(cancelled.Reason),
            TimerRescheduled moved => new RescheduleTimer(moved.TimerId, moved.DueAt, moved.Reason),
            Annotated annotation => new Annotate(annotation.Kind, annotation.Data),
            InstanceMigrated migrated => new MigrateInstance(migrated.DefinitionKey, migrated.FromVersion, migrated.Mapping),
            _ => CancellationAhead(journal, index),
        };
        return command is null ? null : command with { Actor = e.Actor, Context = commandContext };
    }

    /// <summary>
    /// A cancellation journals what it cancels first (work items, tokens, scopes) and
    /// <c>instance-cancelled@1</c> last, all at the same instant: find it.
    /// </summary>
    private static CancelInstance? CancellationAhead(IReadOnlyList<WorkflowEvent> journal, int index)
    {
        var at = journal[index].At;
        for (var j = index; j < journal.Count && journal[j].At == at; j++)
        {
            switch (journal[j])
            {
                case InstanceCancelled cancelled:
                    return new CancelInstance(cancelled.Reason);
                case WorkItemCancelled or TokenEnded or ScopeCompleted or TimerCancelled or MessageUnsubscribed or ElementLeft:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    private static ReplayReport Diverged(int commands, int checkedEvents, IReadOnlyList<WorkflowEvent> journal, long sequence, string? expected, string? actual, string reason) =>
        new(commands, checkedEvents, journal.Count, new ReplayDivergence(sequence, expected, actual, reason));

    private static string Json(WorkflowEvent e) => JournalSerializer.Serialize(e);
}

using ContactCenter.Engine.Journal;

namespace ContactCenter.Engine;

/// <summary>
/// Applies one event to a state, in place. The decider uses it while deciding, and a replay
/// uses it to fold a journal, so the live state and a folded one are built by the same code.
/// It is strict: an event that contradicts the state (a gap, an unknown token) is an error,
/// which is how a tampered journal is caught.
/// </summary>
internal static class Evolver
{
    public static void Apply(InstanceState state, WorkflowEvent e)
    {
        if (e.Sequence != state.Version + 1)
        {
            throw new JournalException(e.Sequence, $"expected sequence number {state.Version + 1}: the journal has a gap or is out of order");
        }

        if (state.Status != InstanceStatus.Running && e is not InstanceStarted)
        {
            throw new JournalException(e.Sequence, $"{Name(e)} after the instance is {state.Status}");
        }

        switch (e)
        {
            case InstanceStarted started:
                if (state.Status != InstanceStatus.NotStarted)
                {
                    throw new JournalException(e.Sequence, "the instance is started twice");
                }

                state.Status = InstanceStatus.Running;
                state.DefinitionKey = started.DefinitionKey;
                state.DefinitionVersion = started.DefinitionVersion;
                state.StartedAt = e.At;
                foreach (var (name, value) in started.Variables)
                {
                    state.WritableVariables[name] = value;
                }

                break;
            case ScopeStarted scope:
                Add(state.WritableScopes, scope.ScopeId, new ScopeState(scope.ScopeId, scope.ParentScopeId, scope.OwnerTokenId, scope.DefinitionKey, scope.DefinitionVersion, scope.SubProcessId), e);
                Bump(state, scope.ScopeId);
                break;
            case ScopeCompleted scope:
                Remove(state.WritableScopes, scope.ScopeId, e);
                break;
            case ElementEntered entered:
                if (!state.ScopeMap.ContainsKey(entered.ScopeId))
                {
                    throw new JournalException(e.Sequence, $"token {entered.TokenId} enters {entered.ElementId} in scope {entered.ScopeId}, which is not active");
                }

                state.WritableTokens.Set(entered.TokenId, new TokenState(entered.TokenId, entered.ScopeId, entered.ElementId, entered.FlowId));
                Bump(state, entered.TokenId);
                break;
            case ElementLeft left:
                Require(state.TokenMap, left.TokenId, e);
                break;
            case TokenEnded ended:
                Remove(state.WritableTokens, ended.TokenId, e);
                break;
            case WorkItemCreated item:
                Require(state.TokenMap, item.TokenId, e);
                Add(state.WritableWorkItems, item.WorkItemId, new WorkItem(item.WorkItemId, item.TokenId, item.ElementId, item.Name, item.Lane, item.Step, item.Script, item.Outcomes, item.Fields, e.At), e);
                Bump(state, item.WorkItemId);
                break;
            case WorkItemCompleted completed:
                Remove(state.WritableWorkItems, completed.WorkItemId, e);
                break;
            case WorkItemCancelled cancelled:
                Remove(state.WritableWorkItems, cancelled.WorkItemId, e);
                break;
            case VariablesSet set:
                foreach (var (name, value) in set.Values)
                {
                    state.WritableVariables[name] = value;
                }

                break;
            case TimerScheduled timer:
                Require(state.TokenMap, timer.TokenId, e);
                Add(state.WritableTimers, timer.TimerId, new PendingTimer(timer.TimerId, timer.TokenId, timer.ElementId, timer.DueAt, timer.SlaPolicy), e);
                Bump(state, timer.TimerId);
                break;
            case TimerFired fired:
                Remove(state.WritableTimers, fired.TimerId, e);
                break;
            case TimerCancelled cancelled:
                Remove(state.WritableTimers, cancelled.TimerId, e);
                break;
            case TimerRescheduled rescheduled:
                if (!state.TimerMap.TryGetValue(rescheduled.TimerId, out var moved))
                {
                    throw new JournalException(e.Sequence, $"{Name(e)} names timer {rescheduled.TimerId}, which is not pending");
                }

                state.WritableTimers.Set(rescheduled.TimerId, moved with { DueAt = rescheduled.DueAt ?? moved.DueAt, Held = rescheduled.DueAt is null });
                break;
            case Annotated:
                break;
            case MessageSubscribed subscribed:
                Require(state.TokenMap, subscribed.TokenId, e);
                Add(state.WritableSubscriptions, subscribed.SubscriptionId, new MessageSubscription(subscribed.SubscriptionId, subscribed.TokenId, subscribed.ElementId, subscribed.MessageName), e);
                Bump(state, subscribed.SubscriptionId);
                break;
            case MessageUnsubscribed unsubscribed:
                Remove(state.WritableSubscriptions, unsubscribed.SubscriptionId, e);
                break;
            case MessageReceived received:
                if (received.SubscriptionId is { } subscriptionId)
                {
                    Remove(state.WritableSubscriptions, subscriptionId, e);
                }

                if (received.MessageId is { } messageId)
                {
                    state.WritableMessageIds.Add(messageId);
                }

                break;
            case PromptSent or ServiceInvoked:
                break;
            case InstanceCompleted:
                state.Status = InstanceStatus.Completed;
                state.EndedAt = e.At;
                break;
            case InstanceCancelled cancelled:
                state.Status = InstanceStatus.Cancelled;
                state.EndedAt = e.At;
                state.EndReason = cancelled.Reason;
                break;
            case InstanceFaulted faulted:
                state.Status = InstanceStatus.Faulted;
                state.EndedAt = e.At;
                state.EndReason = faulted.Reason;
                state.FaultElementId = faulted.ElementId;
                break;
            case InstanceMigrated migrated:
                Migrate(state, migrated);
                break;
            default:
                throw new JournalException(e.Sequence, $"unknown event type {e.GetType().Name}");
        }

        state.Version = e.Sequence;
    }

    /// <summary>Moves the scopes of the migrated key and relocates what stands in them; an unmapped place is an error.</summary>
    private static void Migrate(InstanceState state, InstanceMigrated migrated)
    {
        string Relocated(string elementId) => migrated.Mapping.TryGetValue(elementId, out var target)
            ? target
            : throw new JournalException(migrated.Sequence, $"{Name(migrated)} does not map {elementId}, where the instance stands");

        var moved = new HashSet<long>();
        foreach (var scope in state.ScopeMap.Where(s => s.DefinitionKey == migrated.DefinitionKey && s.DefinitionVersion == migrated.FromVersion).ToList())
        {
            moved.Add(scope.Id);
            state.WritableScopes.Set(scope.Id, scope with { DefinitionVersion = migrated.ToVersion, SubProcessId = scope.SubProcessId is null ? null : Relocated(scope.SubProcessId) });
        }

        if (moved.Count == 0)
        {
            throw new JournalException(migrated.Sequence, $"{Name(migrated)}: no scope of {migrated.DefinitionKey} is on version {migrated.FromVersion}");
        }

        var tokens = new HashSet<long>();
        foreach (var token in state.TokenMap.Where(t => moved.Contains(t.ScopeId)).ToList())
        {
            tokens.Add(token.Id);
            var arrivedVia = token.ArrivedVia is not null && migrated.Mapping.TryGetValue(token.ArrivedVia, out var flow) ? flow : token.ArrivedVia;
            state.WritableTokens.Set(token.Id, token with { ElementId = Relocated(token.ElementId), ArrivedVia = arrivedVia });
        }

        foreach (var item in state.WorkItemMap.Where(w => tokens.Contains(w.TokenId)).ToList())
        {
            state.WritableWorkItems.Set(item.Id, item with { ElementId = Relocated(item.ElementId) });
        }

        foreach (var timer in state.TimerMap.Where(t => tokens.Contains(t.TokenId)).ToList())
        {
            state.WritableTimers.Set(timer.Id, timer with { ElementId = Relocated(timer.ElementId) });
        }

        foreach (var subscription in state.SubscriptionMap.Where(s => tokens.Contains(s.TokenId)).ToList())
        {
            state.WritableSubscriptions.Set(subscription.Id, subscription with { ElementId = Relocated(subscription.ElementId) });
        }

        if (state.DefinitionKey == migrated.DefinitionKey && state.DefinitionVersion == migrated.FromVersion)
        {
            state.DefinitionVersion = migrated.ToVersion;
        }
    }

    private static void Bump(InstanceState state, long id)
    {
        if (id >= state.NextId)
        {
            state.NextId = id + 1;
        }
    }

    private static void Add<T>(IdMap<T> map, long id, T value, WorkflowEvent e)
    {
        if (!map.TryAdd(id, value))
        {
            throw new JournalException(e.Sequence, $"{Name(e)} reuses id {id}");
        }
    }

    private static void Remove<T>(IdMap<T> map, long id, WorkflowEvent e)
    {
        if (!map.Remove(id))
        {
            throw new JournalException(e.Sequence, $"{Name(e)} names id {id}, which is not active");
        }
    }

    private static void Require<T>(IdMap<T> map, long id, WorkflowEvent e)
    {
        if (!map.ContainsKey(id))
        {
            throw new JournalException(e.Sequence, $"{Name(e)} names token {id}, which is not active");
        }
    }

    private static string Name(WorkflowEvent e) => e.GetType().Name;
}

using System.Collections.Immutable;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;

namespace ContactCenter.Engine;

/// <summary>
/// One command's run of the interpreter. Every change goes through <see cref="Emit"/>, which
/// appends the event and applies it with <see cref="Evolver"/>, so the state it leaves is exactly
/// the fold of its events. Tokens waiting to move are processed first-in first-out, and every
/// collection is ordered, so the same input always gives the same events.
/// </summary>
internal sealed class Execution
{
    // One per thread, reused: the queue and scratch lists keep their buffers between commands,
    // which matters at hundreds of thousands of transitions per second.
    [ThreadStatic]
    private static Execution? _cached;

    private readonly Queue<Step> _queue = new();
    private readonly Dictionary<long, int> _unbornTokens = [];
    private readonly List<long> _scratch = [];
    private WorkflowEngine engine = null!;
    private IDeadlineCalculator deadlines = null!;
    private InstanceState state = null!;
    private DateTimeOffset now;
    private string? actor;
    private long _nextId;
    private int _transitions;
    private bool _stopped;

    public List<WorkflowEvent> Events { get; private set; } = [];

    /// <summary>Runs one command on <paramref name="state"/> (changed in place) and returns its events.</summary>
    public static List<WorkflowEvent> Run(WorkflowEngine engine, IDeadlineCalculator deadlines, InstanceState state, DateTimeOffset now, WorkflowCommand command)
    {
        // A deadline calculator that calls back into Decide on this thread gets a fresh execution.
        var execution = _cached ?? new Execution();
        _cached = null;
        try
        {
            execution.engine = engine;
            execution.deadlines = deadlines;
            execution.state = state;
            execution.now = now;
            execution.actor = command.Actor;
            execution._nextId = state.NextId;
            execution._transitions = 0;
            execution._stopped = false;
            execution._queue.Clear();
            execution._unbornTokens.Clear();
            execution.Events = new List<WorkflowEvent>(8);
            execution.Run(command);
            return execution.Events;
        }
        finally
        {
            execution.state = null!;
            execution.engine = null!;
            execution.Events = null!;
            _cached = execution;
        }
    }

    /// <summary>A token about to enter a node. <see cref="IsNew"/> tokens exist only once they enter.</summary>
    private readonly record struct Step(long TokenId, long ScopeId, FlowNode Node, string? FlowId, bool IsNew);

    /// <summary>
    /// Whether a firing may act. A timer that is no longer pending (the customer replied, the
    /// instance ended) is a no-op, so the scheduler may fire twice without harm. So is a firing
    /// before the timer's <em>current</em> due time: an SLA pause or extension moves a deadline
    /// after a scheduler may already have picked the old one, and that stale firing must neither
    /// escalate early nor disarm the timer, which stays pending for its real due time.
    /// </summary>
    private bool IsDue(FireTimer fire) =>
        state.IsRunning
        && state.TimerMap.TryGetValue(fire.TimerId, out var timer)
        && !timer.Held
        && timer.DueAt <= now;

    private void Run(WorkflowCommand command)
    {
        switch (command)
        {
            case StartInstance:
                break;
            case FireTimer fire when !IsDue(fire):
                break;
            default:
                if (state.IsRunning)
                {
                    ApplyContext(command.Context);
                }

                break;
        }

        switch (command)
        {
            case StartInstance start:
                Start(start);
                break;
            case CompleteWorkItem complete:
                RequireRunning();
                Complete(complete);
                break;
            case DeliverMessage message:
                RequireRunning();
                Deliver(message);
                break;
            case FireTimer fire:
                if (IsDue(fire) && state.TimerMap.TryGetValue(fire.TimerId, out var timer))
                {
                    Emit(new TimerFired(timer.Id));
                    Trigger(timer.TokenId, timer.ElementId);
                }

                break;
            case RescheduleTimer reschedule:
                RequireRunning();
                if (!state.TimerMap.ContainsKey(reschedule.TimerId))
                {
                    throw new WorkflowCommandRejectedException(RejectionReason.UnknownTimer, $"timer {reschedule.TimerId} is not pending");
                }

                Emit(new TimerRescheduled(reschedule.TimerId, reschedule.DueAt, reschedule.Reason));
                break;
            case Annotate annotate:
                RequireRunning();
                if (string.IsNullOrWhiteSpace(annotate.Kind))
                {
                    throw new WorkflowCommandRejectedException(RejectionReason.InvalidAnnotation, "an annotation needs a kind");
                }

                Emit(new Annotated(annotate.Kind, ToData(annotate.Data)));
                break;
            case MigrateInstance migrate:
                RequireRunning();
                Migrate(migrate);
                break;
            case CancelInstance cancel:
                RequireRunning();
                CancelScope(RootScope());
                Emit(new InstanceCancelled(string.IsNullOrWhiteSpace(cancel.Reason) ? "cancelled" : cancel.Reason));
                break;
            default:
                throw new ArgumentException($"unknown command {command.GetType().Name}", nameof(command));
        }

        Drain();
    }

    /// <summary>Journals the context variables that differ from the instance's current values.</summary>
    private void ApplyContext(IReadOnlyDictionary<string, Value>? context, IReadOnlyDictionary<string, Value>? except = null)
    {
        if (context is null || context.Count == 0)
        {
            return;
        }

        ImmutableSortedDictionary<string, Value>.Builder? changed = null;
        foreach (var (name, value) in ToData(context))
        {
            if (except?.ContainsKey(name) == true)
            {
                continue;
            }

            if (!state.VariableMap.TryGetValue(name, out var current) || !current.Equals(value))
            {
                (changed ??= ImmutableSortedDictionary.CreateBuilder<string, Value>(StringComparer.Ordinal))[name] = value;
            }
        }

        if (changed is not null)
        {
            Emit(new VariablesSet("$context", changed.ToImmutable()));
        }
    }

    private void RequireRunning()
    {
        if (!state.IsRunning)
        {
            throw new WorkflowCommandRejectedException(RejectionReason.NotRunning, $"the instance is {state.Status.ToString().ToLowerInvariant()}, not running");
        }
    }

    private void Start(StartInstance start)
    {
        if (state.Status != InstanceStatus.NotStarted)
        {
            throw new WorkflowCommandRejectedException(RejectionReason.AlreadyStarted, "the instance has already started");
        }

        if (!engine.Definitions.TryGet(start.DefinitionKey, out var definition, out var version))
        {
            throw new WorkflowCommandRejectedException(RejectionReason.UnknownDefinition, $"no definition with key '{start.DefinitionKey}'");
        }

        Emit(new InstanceStarted(definition.Key, version, ToData(start.Variables)));

        // A variable the caller names at start means what it says; context fills in the rest.
        ApplyContext(start.Context, except: start.Variables);
        StartScope(null, null, definition, version, definition.Process);
    }

    /// <summary>
    /// Moves the scopes of the key to the pinned version and relocates what stands in them
    /// (<see cref="InstanceMigrated"/>). A work item whose new element presents it otherwise (name,
    /// script, outcomes, fields) is reissued from the new element, so completing it follows the new
    /// version; a message wait for another message is renewed. Timers keep their id and due time.
    /// A boundary event the new version attaches to an element where a token already stands, and
    /// that no old wait was mapped onto, is armed as if the token had entered it now: there is no
    /// old clock to keep, and the move is when the token started standing on the new element.
    /// </summary>
    private void Migrate(MigrateInstance command)
    {
        var problems = InstanceMigration.Check(engine.Definitions, state, command);
        if (problems.Count > 0)
        {
            throw new WorkflowCommandRejectedException(RejectionReason.MigrationRefused, string.Join("; ", problems));
        }

        engine.Definitions.TryGet(command.DefinitionKey, out var to, out var toVersion);
        var pinned = engine.Definitions.Pinned.ToImmutableSortedDictionary(StringComparer.Ordinal);
        Emit(new InstanceMigrated(command.DefinitionKey, command.FromVersion, toVersion, pinned, command.Mapping.ToImmutableSortedDictionary(StringComparer.Ordinal)));
        var moved = state.ScopeMap.Where(s => s.DefinitionKey == command.DefinitionKey && s.DefinitionVersion == toVersion).Select(s => s.Id).ToHashSet();
        foreach (var item in state.WorkItemMap.Where(w => moved.Contains(state.TokenMap.Get(w.TokenId).ScopeId)).ToList())
        {
            var node = to.Nodes[item.ElementId];
            var (script, outcomes) = node is ExclusiveGateway gateway ? (Render(ScriptTemplate.Of(gateway)), gateway.Outcomes) : (Render(node.Script), ImmutableArray<string>.Empty);
            if (item.Name == node.Name && item.Lane == node.Lane && item.Step == node.Step && item.Script == script && item.Outcomes.SequenceEqual(outcomes) && item.Fields.SequenceEqual(node.FieldArray))
            {
                continue;
            }

            Emit(new WorkItemCancelled(item.Id));
            Emit(new WorkItemCreated(NewId(), item.TokenId, node.Id, node.Name, node.Lane, node.Step, script, outcomes, node.FieldArray));
        }

        foreach (var subscription in state.SubscriptionMap.Where(s => moved.Contains(state.TokenMap.Get(s.TokenId).ScopeId)).ToList())
        {
            var message = InstanceMigration.MessageOf(to.Nodes[subscription.ElementId])!;
            if (message != subscription.MessageName)
            {
                Emit(new MessageUnsubscribed(subscription.Id));
                Subscribe(subscription.TokenId, to.Nodes[subscription.ElementId], message);
            }
        }

        foreach (var token in state.TokenMap.Where(t => moved.Contains(t.ScopeId)).ToList())
        {
            foreach (var boundary in to.Nodes[token.ElementId].BoundaryList)
            {
                if (!state.TimerMap.Any(t => t.TokenId == token.Id && t.ElementId == boundary.Id)
                    && !state.SubscriptionMap.Any(m => m.TokenId == token.Id && m.ElementId == boundary.Id))
                {
                    Arm(token.Id, boundary);
                }
            }
        }
    }

    private void Complete(CompleteWorkItem command)
    {
        if (!state.WorkItemMap.TryGetValue(command.WorkItemId, out var item))
        {
            throw new WorkflowCommandRejectedException(RejectionReason.UnknownWorkItem, $"work item {command.WorkItemId} is not open in this instance");
        }

        var token = state.TokenMap.Get(item.TokenId);
        var node = NodeOf(token);
        string? outcome = null;
        if (item.Outcomes.Length > 0)
        {
            if (string.IsNullOrWhiteSpace(command.Outcome))
            {
                throw new WorkflowCommandRejectedException(RejectionReason.OutcomeRequired, $"work item {item.Id} ({node}) needs an outcome: {string.Join(" / ", item.Outcomes)}");
            }

            outcome = Match(item.Outcomes, command.Outcome.AsSpan().Trim())
                ?? throw new WorkflowCommandRejectedException(RejectionReason.OutcomeNotAllowed, $"'{command.Outcome}' is not an outcome of work item {item.Id} ({node}); allowed: {string.Join(" / ", item.Outcomes)}");
        }
        else if (!string.IsNullOrWhiteSpace(command.Outcome))
        {
            throw new WorkflowCommandRejectedException(RejectionReason.OutcomeNotAllowed, $"work item {item.Id} ({node}) takes no outcome");
        }

        var data = ToData(command.Data);
        List<string>? missing = null;
        foreach (var field in item.Fields)
        {
            if ((data.TryGetValue(field, out var v) ? v : state.Get(field)).IsNull)
            {
                (missing ??= []).Add(field);
            }
        }

        if (missing is not null)
        {
            throw new WorkflowCommandRejectedException(RejectionReason.MissingFields, $"work item {item.Id} ({node}) needs {string.Join(", ", missing)}");
        }

        Emit(new WorkItemCompleted(item.Id, outcome, data));
        if (data.Count > 0)
        {
            Emit(new VariablesSet(node.Id, data));
        }

        var flow = outcome is null ? FirstOut(node) : node.OutgoingList[item.Outcomes.IndexOf(outcome)];
        Leave(token, node, flow);
    }

    private void Deliver(DeliverMessage message)
    {
        if (message.MessageId is { } id && state.MessageIds.Contains(id))
        {
            return;
        }

        MessageSubscription? subscription = null;
        for (var i = 0; i < state.SubscriptionMap.Count; i++)
        {
            var candidate = state.SubscriptionMap[i];
            if (string.Equals(candidate.MessageName, message.MessageName, StringComparison.Ordinal))
            {
                subscription = candidate;
                break;
            }
        }

        Emit(new MessageReceived(message.MessageName, message.MessageId, message.Text, subscription?.Id));
        if (subscription is { } found)
        {
            Trigger(found.TokenId, found.ElementId);
        }
    }

    /// <summary>A timer fired or a message arrived for a token waiting at (or on the boundary of) an element.</summary>
    private void Trigger(long tokenId, string elementId)
    {
        var token = state.TokenMap.Get(tokenId);
        var definition = DefinitionOf(token.ScopeId);
        var target = definition.Nodes[elementId];
        switch (target)
        {
            case BoundaryEvent boundary when boundary.CancelActivity:
                Interrupt(token);
                Emit(new ElementLeft(token.Id, token.ElementId, null));
                Enqueue(token.Id, token.ScopeId, boundary, null, isNew: false);
                break;
            case BoundaryEvent boundary:
                if (boundary.Trigger == EventTrigger.Message)
                {
                    // A non-interrupting message boundary keeps listening while its activity runs.
                    Subscribe(token.Id, boundary, boundary.MessageName!);
                }

                Enqueue(NewId(), token.ScopeId, boundary, null, isNew: true);
                break;
            default:
                var at = definition.Nodes[token.ElementId];
                if (at is EventBasedGateway gateway)
                {
                    var flow = gateway.Outgoing.First(f => f.TargetId == elementId);
                    CancelWaits(token.Id);
                    Emit(new ElementLeft(token.Id, gateway.Id, flow.Id));
                    Emit(new ElementEntered(token.Id, token.ScopeId, target.Id, flow.Id));
                    Leave(state.TokenMap.Get(token.Id), target, FirstOut(target));
                }
                else
                {
                    Leave(token, target, FirstOut(target));
                }

                break;
        }
    }

    private void Drain()
    {
        while (!_stopped && _queue.TryDequeue(out var step))
        {
            if (step.IsNew)
            {
                _unbornTokens[step.ScopeId]--;
                if (!state.ScopeMap.ContainsKey(step.ScopeId))
                {
                    continue;
                }
            }
            else if (!state.TokenMap.ContainsKey(step.TokenId))
            {
                continue;
            }

            Enter(step);
        }
    }

    private void Enqueue(long tokenId, long scopeId, FlowNode node, string? flowId, bool isNew)
    {
        if (isNew)
        {
            _unbornTokens[scopeId] = _unbornTokens.GetValueOrDefault(scopeId) + 1;
        }

        _queue.Enqueue(new Step(tokenId, scopeId, node, flowId, isNew));
    }

    /// <summary>
    /// Forgets the tokens queued to be created in a scope a terminate end event has just ended
    /// (e.g. the other branches of a fork in the same command), keeping the queue's order.
    /// </summary>
    private void DropUnborn(long scopeId)
    {
        if (_unbornTokens.GetValueOrDefault(scopeId) == 0)
        {
            return;
        }

        for (var i = _queue.Count; i > 0; i--)
        {
            var step = _queue.Dequeue();
            if (!(step.IsNew && step.ScopeId == scopeId))
            {
                _queue.Enqueue(step);
            }
        }

        _unbornTokens[scopeId] = 0;
    }

    private void Enter(Step step)
    {
        var node = step.Node;
        if (++_transitions > engine.MaxTransitionsPerCommand)
        {
            Fault(node, $"more than {engine.MaxTransitionsPerCommand} transitions in one command: a loop in which nothing waits");
            return;
        }

        Emit(new ElementEntered(step.TokenId, step.ScopeId, node.Id, step.FlowId));
        var token = state.TokenMap.Get(step.TokenId);
        switch (node)
        {
            case StartEvent or BoundaryEvent or CatchEvent { Trigger: EventTrigger.Link } or ThrowEvent { LinkName: null }:
                Leave(token, node, FirstOut(node));
                break;
            case ThrowEvent { LinkTarget: { } target }:
                Assign(node);
                Emit(new ElementLeft(token.Id, node.Id, null));
                Enqueue(token.Id, token.ScopeId, target, null, isNew: false);
                break;
            case ThrowEvent link:
                Fault(node, $"link '{link.LinkName}' has no catch event");
                break;
            case EndEvent end:
                Assign(node);
                if (end.Terminate)
                {
                    DropUnborn(token.ScopeId);
                    foreach (var other in TokensIn(token.ScopeId).Where(t => t.Id != token.Id).ToList())
                    {
                        CancelToken(other);
                    }
                }

                Emit(new TokenEnded(token.Id, node.Id, false));
                CompleteScopeIfDone(token.ScopeId);
                break;
            case TaskNode task:
                EnterTask(token, task);
                break;
            case ExclusiveGateway gateway:
                EnterExclusive(token, gateway);
                break;
            case ParallelGateway gateway:
                EnterParallel(token, gateway);
                break;
            case EventBasedGateway gateway:
                foreach (var flow in gateway.OutgoingList)
                {
                    Arm(token.Id, (CatchEvent)flow.Target);
                }

                break;
            case CatchEvent catchEvent:
                Arm(token.Id, catchEvent);
                break;
            case CallActivity call:
                ArmBoundaries(token.Id, call);
                if (!engine.Definitions.TryGet(call.CalledKey, out var called, out var version))
                {
                    Fault(node, $"called definition '{call.CalledKey}' is not available");
                    break;
                }

                StartScope(token.ScopeId, token.Id, called, version, called.Process);
                break;
            case SubProcess sub:
                ArmBoundaries(token.Id, sub);
                var scope = state.ScopeMap.Get(token.ScopeId);
                StartScope(token.ScopeId, token.Id, DefinitionOf(token.ScopeId), scope.DefinitionVersion, sub.Body);
                break;
            default:
                Fault(node, $"{node.ElementName} is not executable");
                break;
        }
    }

    private void EnterTask(TokenState token, TaskNode task)
    {
        switch (task.Kind)
        {
            case NodeKind.UserTask or NodeKind.ManualTask:
                ArmBoundaries(token.Id, task);
                Emit(new WorkItemCreated(NewId(), token.Id, task.Id, task.Name, task.Lane, task.Step, Render(task.Script), [], task.FieldArray));
                break;
            case NodeKind.ReceiveTask:
                ArmBoundaries(token.Id, task);
                Subscribe(token.Id, task, task.MessageName!);
                break;
            case NodeKind.SendTask:
                Emit(new PromptSent(token.Id, task.Id, task.Step, Render(task.Script) ?? task.Name ?? string.Empty));
                Leave(token, task, FirstOut(task));
                break;
            default:
                var data = ImmutableSortedDictionary.CreateBuilder<string, Value>(StringComparer.Ordinal);
                foreach (var field in task.FieldArray)
                {
                    data[field] = state.Get(field);
                }

                Emit(new ServiceInvoked(token.Id, task.Id, task.ServiceKind ?? string.Empty, data.ToImmutable()));
                Leave(token, task, FirstOut(task));
                break;
        }
    }

    private void EnterExclusive(TokenState token, ExclusiveGateway gateway)
    {
        if (gateway.Outgoing.Count == 1)
        {
            Leave(token, gateway, gateway.Outgoing[0]);
            return;
        }

        if (gateway.IsDecidedByAgent)
        {
            Emit(new WorkItemCreated(NewId(), token.Id, gateway.Id, gateway.Name, gateway.Lane, gateway.Step, Render(ScriptTemplate.Of(gateway)), gateway.Outcomes, gateway.FieldArray));
            return;
        }

        foreach (var flow in gateway.OutgoingList)
        {
            if (flow.Condition is null)
            {
                continue;
            }

            bool taken;
            try
            {
                taken = flow.Condition.IsTrue(state);
            }
            catch (ExpressionEvaluationException e)
            {
                Fault(gateway, $"flow {flow.Id}: {e.Message}");
                return;
            }

            if (taken)
            {
                Leave(token, gateway, flow);
                return;
            }
        }

        if (gateway.DefaultFlow is { } fallback)
        {
            Leave(token, gateway, fallback);
        }
        else
        {
            Fault(gateway, "no outgoing condition is true and the gateway has no default flow");
        }
    }

    private void EnterParallel(TokenState token, ParallelGateway gateway)
    {
        if (gateway.Incoming.Count > 1)
        {
            // A join fires once a token waits on every incoming flow; the oldest token of each
            // flow is used, the first of them goes on, the others end here.
            var chosen = new List<TokenState>(gateway.Incoming.Count);
            foreach (var incoming in gateway.Incoming)
            {
                var found = false;
                foreach (var waiting in TokensIn(token.ScopeId))
                {
                    if (waiting.ElementId == gateway.Id && waiting.ArrivedVia == incoming.Id)
                    {
                        chosen.Add(waiting);
                        found = true;
                        break;
                    }
                }

                if (!found)
                {
                    return;
                }
            }

            chosen.Sort((a, b) => a.Id.CompareTo(b.Id));
            foreach (var merged in chosen.Skip(1))
            {
                Emit(new TokenEnded(merged.Id, gateway.Id, false));
            }

            token = chosen[0];
        }

        for (var i = 0; i < gateway.Outgoing.Count; i++)
        {
            var flow = gateway.Outgoing[i];
            if (i == 0)
            {
                Leave(token, gateway, flow);
            }
            else
            {
                Enqueue(NewId(), token.ScopeId, flow.Target, flow.Id, isNew: true);
            }
        }
    }

    /// <summary>The token goes on over <paramref name="flow"/>; whatever it waited for is dropped.</summary>
    private void Leave(TokenState token, FlowNode node, SequenceFlow? flow)
    {
        CancelWaits(token.Id);
        Assign(node);
        if (flow is null)
        {
            Fault(node, "it has no outgoing sequence flow");
            return;
        }

        Emit(new ElementLeft(token.Id, node.Id, flow.Id));
        Enqueue(token.Id, token.ScopeId, flow.Target, flow.Id, isNew: false);
    }

    private void Assign(FlowNode node)
    {
        if (node.Assignments.Count == 0)
        {
            return;
        }

        var values = ImmutableSortedDictionary.CreateBuilder<string, Value>(StringComparer.Ordinal);
        for (var i = 0; i < node.Assignments.Count; i++)
        {
            try
            {
                values[node.Assignments[i].Name] = node.Assignments[i].Value.Evaluate(state);
            }
            catch (ExpressionEvaluationException e)
            {
                Fault(node, $"cc:assign {node.Assignments[i].Name}: {e.Message}");
                return;
            }
        }

        Emit(new VariablesSet(node.Id, values.ToImmutable()));
    }

    private void StartScope(long? parentScopeId, long? ownerTokenId, WorkflowDefinition definition, int version, NodeContainer container)
    {
        var scopeId = NewId();
        Emit(new ScopeStarted(scopeId, parentScopeId, ownerTokenId, definition.Key, version, container.SubProcessId));
        if (container.Start is null)
        {
            Fault(null, $"{definition.Key} {container.SubProcessId ?? "process"} has no start event");
            return;
        }

        Enqueue(NewId(), scopeId, container.Start, null, isNew: true);
    }

    private void CompleteScopeIfDone(long scopeId)
    {
        if (_stopped || _unbornTokens.GetValueOrDefault(scopeId) > 0 || HasTokensIn(scopeId) || !state.ScopeMap.TryGetValue(scopeId, out var scope))
        {
            return;
        }

        Emit(new ScopeCompleted(scopeId, false));
        if (scope.OwnerTokenId is { } ownerId && state.TokenMap.TryGetValue(ownerId, out var owner))
        {
            var activity = DefinitionOf(owner.ScopeId).Nodes[owner.ElementId];
            Leave(owner, activity, FirstOut(activity));
        }
        else if (scope.ParentScopeId is null)
        {
            Emit(new InstanceCompleted());
            _stopped = true;
        }
    }

    private void Arm(long tokenId, ITriggeredEvent trigger)
    {
        var node = (FlowNode)trigger;
        if (trigger.Trigger == EventTrigger.Timer)
        {
            var due = deadlines.DueAt(now, trigger.TimerDuration ?? TimeSpan.Zero, trigger.SlaPolicy, state.Variables);
            Emit(new TimerScheduled(NewId(), tokenId, node.Id, due, trigger.SlaPolicy));
        }
        else
        {
            Subscribe(tokenId, node, trigger.MessageName!);
        }
    }

    private void ArmBoundaries(long tokenId, FlowNode activity)
    {
        foreach (var boundary in activity.BoundaryList)
        {
            Arm(tokenId, boundary);
        }
    }

    private void Subscribe(long tokenId, FlowNode node, string messageName) =>
        Emit(new MessageSubscribed(NewId(), tokenId, node.Id, messageName));

    /// <summary>Drops the token's timers and message subscriptions (boundary or event-gateway ones).</summary>
    private void CancelWaits(long tokenId)
    {
        // Collected first because cancelling changes the maps; a reused list keeps this hot path allocation-free.
        _scratch.Clear();
        var timers = state.TimerMap;
        for (var i = 0; i < timers.Count; i++)
        {
            if (timers[i].TokenId == tokenId)
            {
                _scratch.Add(timers.IdAt(i));
            }
        }

        foreach (var id in _scratch)
        {
            Emit(new TimerCancelled(id));
        }

        _scratch.Clear();
        var subscriptions = state.SubscriptionMap;
        for (var i = 0; i < subscriptions.Count; i++)
        {
            if (subscriptions[i].TokenId == tokenId)
            {
                _scratch.Add(subscriptions.IdAt(i));
            }
        }

        foreach (var id in _scratch)
        {
            Emit(new MessageUnsubscribed(id));
        }
    }

    /// <summary>Stops what a token is doing (its work items, waits and child scopes), leaving the token itself.</summary>
    private void Interrupt(TokenState token)
    {
        foreach (var item in state.WorkItemMap.Where(w => w.TokenId == token.Id).ToList())
        {
            Emit(new WorkItemCancelled(item.Id));
        }

        CancelWaits(token.Id);
        foreach (var child in state.ScopeMap.Where(s => s.OwnerTokenId == token.Id).ToList())
        {
            CancelScope(child);
        }
    }

    private void CancelToken(TokenState token)
    {
        Interrupt(token);
        Emit(new TokenEnded(token.Id, token.ElementId, true));
    }

    private void CancelScope(ScopeState scope)
    {
        foreach (var token in TokensIn(scope.Id).ToList())
        {
            CancelToken(token);
        }

        Emit(new ScopeCompleted(scope.Id, true));
    }

    private void Fault(FlowNode? node, string reason)
    {
        foreach (var timer in state.TimerMap.ToList())
        {
            Emit(new TimerCancelled(timer.Id));
        }

        Emit(new InstanceFaulted(node?.Id, node is null ? reason : $"{node}: {reason}"));
        _stopped = true;
        _queue.Clear();
    }

    private void Emit(WorkflowEvent e)
    {
        if (_stopped)
        {
            return;
        }

        e.Sequence = state.Version + 1;
        e.At = now;
        e.Actor = actor;
        Events.Add(e);
        Evolver.Apply(state, e);
    }

    private long NewId() => _nextId++;

    private static string? Match(ImmutableArray<string> outcomes, ReadOnlySpan<char> wanted)
    {
        foreach (var outcome in outcomes)
        {
            if (wanted.Equals(outcome, StringComparison.OrdinalIgnoreCase))
            {
                return outcome;
            }
        }

        return null;
    }

    private static SequenceFlow? FirstOut(FlowNode node) => node.Outgoing.Count > 0 ? node.Outgoing[0] : null;

    private ScopeState RootScope() => state.ScopeMap.First(s => s.ParentScopeId is null);

    private bool HasTokensIn(long scopeId)
    {
        var tokens = state.TokenMap;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].ScopeId == scopeId)
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<TokenState> TokensIn(long scopeId)
    {
        foreach (var token in state.TokenMap)
        {
            if (token.ScopeId == scopeId)
            {
                yield return token;
            }
        }
    }

    private WorkflowDefinition DefinitionOf(long scopeId)
    {
        var key = state.ScopeMap.Get(scopeId).DefinitionKey;
        return engine.Definitions.TryGet(key, out var definition, out _)
            ? definition
            : throw new InvalidOperationException($"definition '{key}' of scope {scopeId} is not in the engine's definition set");
    }

    private FlowNode NodeOf(TokenState token) => DefinitionOf(token.ScopeId).Nodes[token.ElementId];

    private string? Render(string? template) => ScriptTemplate.Render(template, state.VariableMap);

    private static readonly ImmutableSortedDictionary<string, Value> NoData = ImmutableSortedDictionary<string, Value>.Empty.WithComparers(StringComparer.Ordinal);

    private static ImmutableSortedDictionary<string, Value> ToData(IReadOnlyDictionary<string, Value>? data)
    {
        if (data is null || data.Count == 0)
        {
            return NoData;
        }

        foreach (var name in data.Keys)
        {
            if (!Expression.IsIdentifier(name))
            {
                throw new WorkflowCommandRejectedException(RejectionReason.InvalidData, $"'{name}' is not a valid variable name (letters, digits and _, starting with a letter)");
            }
        }

        return data.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }
}

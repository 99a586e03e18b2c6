using ContactCenter.Engine.Model;

namespace ContactCenter.Engine;

/// <summary>One reason an instance cannot move, or a mapping is wrong: the element it is about, and why.</summary>
public sealed record MigrationProblem(string? ElementId, string Message)
{
    public override string ToString() => Message;
}

/// <summary>A mapping proposed from two versions: what was matched and how, and what is left to map by hand.</summary>
/// <param name="Mapping">Old element or flow id to new.</param>
/// <param name="MatchedBy">For each mapped id: <c>id</c> (the same id on both) or <c>purpose:&lt;name&gt;</c> (the only element of the same kind declaring it) or <c>flow</c> (the only flow between the mapped ends).</param>
/// <param name="Unmapped">Old elements with no counterpart found: a token there cannot move until they are mapped by hand.</param>
public sealed record DerivedMapping(IReadOnlyDictionary<string, string> Mapping, IReadOnlyDictionary<string, string> MatchedBy, IReadOnlyList<string> Unmapped);

/// <summary>
/// Moving a running instance from one version of a definition to another: deriving the element
/// mapping and checking that an instance can move with it. Pure, like the rest of the engine:
/// the dry run and the engine's decision use the same <see cref="Check"/>.
/// </summary>
public static class InstanceMigration
{
    /// <summary>
    /// The mapping the two versions suggest: an element keeps its id when the new version has that
    /// id with the same kind; else it goes to the one element of the same kind that declares one
    /// of its purposes (<c>cc:purpose</c>); a flow keeps its id, else goes to the one flow between
    /// the mapped source and target. Whatever is left is listed for a person to map.
    /// </summary>
    public static DerivedMapping Derive(WorkflowDefinition from, WorkflowDefinition to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var mapping = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var matchedBy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var unmapped = new List<string>();
        foreach (var node in from.Nodes.Values.OrderBy(n => n.Line))
        {
            if (to.Nodes.TryGetValue(node.Id, out var same) && SameKind(node, same))
            {
                mapping[node.Id] = same.Id;
                matchedBy[node.Id] = "id";
                continue;
            }

            var byPurpose = node.Purposes
                .Select(purpose => (Purpose: purpose, Candidates: to.Nodes.Values.Where(n => n.HasPurpose(purpose) && SameKind(node, n)).ToList()))
                .FirstOrDefault(c => c.Candidates.Count == 1);
            if (byPurpose.Candidates is [var only])
            {
                mapping[node.Id] = only.Id;
                matchedBy[node.Id] = "purpose:" + byPurpose.Purpose;
                continue;
            }

            unmapped.Add(node.Id);
        }

        foreach (var flow in from.Flows.Values.OrderBy(f => f.Line))
        {
            if (to.Flows.ContainsKey(flow.Id))
            {
                mapping[flow.Id] = flow.Id;
                matchedBy[flow.Id] = "id";
            }
            else if (mapping.TryGetValue(flow.SourceId, out var source) && mapping.TryGetValue(flow.TargetId, out var target)
                && to.Flows.Values.Where(f => f.SourceId == source && f.TargetId == target).ToList() is [var between])
            {
                mapping[flow.Id] = between.Id;
                matchedBy[flow.Id] = "flow";
            }
        }

        return new DerivedMapping(mapping, matchedBy, unmapped);
    }

    /// <summary>
    /// Everything wrong with <paramref name="mapping"/> itself, whatever instance it is used on: an id
    /// the old version does not have, a target the new version does not have, a target of another
    /// kind, a boundary event whose activity goes elsewhere, a call activity calling another flow.
    /// </summary>
    public static IReadOnlyList<MigrationProblem> CheckMapping(WorkflowDefinition from, WorkflowDefinition to, IReadOnlyDictionary<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(mapping);
        var problems = new List<MigrationProblem>();
        foreach (var (source, target) in mapping.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (from.Nodes.TryGetValue(source, out var oldNode))
            {
                if (!to.Nodes.TryGetValue(target, out var newNode))
                {
                    problems.Add(new(source, $"{oldNode} is mapped to '{target}', which is not an element of the new version"));
                }
                else if (!SameKind(oldNode, newNode))
                {
                    problems.Add(new(source, $"{oldNode} is mapped to {newNode}, an element of another kind ({Describe(oldNode)} to {Describe(newNode)})"));
                }
                else if (oldNode is BoundaryEvent oldBoundary && newNode is BoundaryEvent newBoundary
                    && mapping.TryGetValue(oldBoundary.AttachedToId, out var activity) && activity != newBoundary.AttachedToId)
                {
                    problems.Add(new(source, $"{oldNode} is mapped to {newNode}, which is attached to {newBoundary.AttachedToId}, not to {activity} where its activity {oldBoundary.AttachedToId} goes"));
                }
                else if (oldNode is CallActivity oldCall && newNode is CallActivity newCall && oldCall.CalledKey != newCall.CalledKey)
                {
                    problems.Add(new(source, $"{oldNode} calls '{oldCall.CalledKey}' but {newNode} calls '{newCall.CalledKey}': a running called flow cannot change into another"));
                }
            }
            else if (from.Flows.ContainsKey(source))
            {
                if (!to.Flows.ContainsKey(target))
                {
                    problems.Add(new(source, $"sequence flow {source} is mapped to '{target}', which is not a sequence flow of the new version"));
                }
            }
            else
            {
                problems.Add(new(source, $"'{source}' is not an element of the old version, so it cannot be mapped"));
            }
        }

        return problems;
    }

    /// <summary>
    /// Whether the instance can move by <paramref name="command"/> onto the version <paramref name="definitions"/>
    /// pins for its key: empty when it can, else every reason, naming the element or instance part.
    /// </summary>
    public static IReadOnlyList<MigrationProblem> Check(DefinitionSet definitions, InstanceState state, MigrateInstance command)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (!state.IsRunning)
        {
            return [new(null, $"the instance is {state.Status.ToString().ToLowerInvariant()}, not running: only a running instance moves")];
        }

        if (!definitions.TryGet(command.DefinitionKey, out var to, out var toVersion))
        {
            return [new(null, $"no version of '{command.DefinitionKey}' to move to")];
        }

        if (!definitions.TryGet(command.DefinitionKey, command.FromVersion, out var from))
        {
            return [new(null, $"version {command.FromVersion} of '{command.DefinitionKey}' is not available")];
        }

        if (toVersion == command.FromVersion)
        {
            return [new(null, $"the instance would move from version {command.FromVersion} to itself")];
        }

        var scopes = state.ScopeMap.Where(s => s.DefinitionKey == command.DefinitionKey && s.DefinitionVersion == command.FromVersion).ToList();
        if (scopes.Count == 0)
        {
            var on = state.ScopeMap.Where(s => s.DefinitionKey == command.DefinitionKey).Select(s => s.DefinitionVersion).Distinct().ToList();
            return [new(null, on.Count == 0 ? $"the instance does not run '{command.DefinitionKey}'" : $"the instance runs '{command.DefinitionKey}' on version {string.Join(", ", on)}, not {command.FromVersion}")];
        }

        var problems = CheckMapping(from, to, command.Mapping).ToList();
        foreach (var call in to.Nodes.Values.OfType<CallActivity>().OrderBy(c => c.Line))
        {
            if (!definitions.TryGet(call.CalledKey, out _, out _))
            {
                problems.Add(new(call.Id, $"version {toVersion} calls '{call.CalledKey}' at {call}, and that flow has no published version to run"));
            }
        }

        var scopeIds = scopes.Select(s => s.Id).ToHashSet();
        foreach (var scope in scopes.Where(s => s.SubProcessId is not null))
        {
            if (Target(command, to, scope.SubProcessId!) is null)
            {
                problems.Add(new(scope.SubProcessId, $"sub-process {scope.SubProcessId} is running and is not mapped to an element of version {toVersion}"));
            }
        }

        foreach (var token in state.TokenMap.Where(t => scopeIds.Contains(t.ScopeId)))
        {
            var old = from.Nodes.GetValueOrDefault(token.ElementId);
            var target = Target(command, to, token.ElementId);
            if (target is null)
            {
                problems.Add(new(token.ElementId, $"a token waits at {old?.ToString() ?? token.ElementId}, which is not mapped to an element of version {toVersion} (removed or renamed: map it by hand)"));
                continue;
            }

            if (old is ParallelGateway { Incoming.Count: > 1 } && token.ArrivedVia is not null && !command.Mapping.ContainsKey(token.ArrivedVia))
            {
                problems.Add(new(token.ElementId, $"a token waits at the join {old} over flow {token.ArrivedVia}, which is not mapped"));
            }

            foreach (var item in state.WorkItemMap.Where(w => w.TokenId == token.Id))
            {
                if (!(target is TaskNode { IsWorkItem: true } || target is ExclusiveGateway { IsDecidedByAgent: true }))
                {
                    problems.Add(new(item.ElementId, $"work item {item.Id} at {old?.ToString() ?? item.ElementId} is mapped to {target}, where nobody works an item"));
                }
            }

            foreach (var timer in state.TimerMap.Where(t => t.TokenId == token.Id))
            {
                CheckWait(timer.ElementId, $"the timer of {Named(timer.ElementId)} (due {timer.DueAt:O})", n => n is ITriggeredEvent { Trigger: EventTrigger.Timer }, "is not a timer", target);
            }

            foreach (var subscription in state.SubscriptionMap.Where(s => s.TokenId == token.Id))
            {
                CheckWait(subscription.ElementId, $"the wait for '{subscription.MessageName}' at {Named(subscription.ElementId)}", n => MessageOf(n) is not null, "waits for no message", target);
            }
        }

        string Named(string elementId) => from.Nodes.GetValueOrDefault(elementId)?.ToString() ?? elementId;

        // A timer or message wait must land on an element of its kind that waits with the token's new place.
        void CheckWait(string elementId, string what, Func<FlowNode, bool> fits, string misfit, FlowNode at)
        {
            var waitTarget = Target(command, to, elementId);
            var problem = waitTarget is null ? $"{what} is not mapped to an element of version {toVersion}"
                : !fits(waitTarget) ? $"{what} is mapped to {waitTarget}, which {misfit}"
                : !BelongsTo(waitTarget, at) ? $"{what} is mapped to {waitTarget}, which does not wait with {at}"
                : null;
            if (problem is not null)
            {
                problems.Add(new(elementId, problem));
            }
        }

        return problems.DistinctBy(p => p.Message).ToList();
    }

    /// <summary>The element of the new version an old id goes to; null when unmapped or missing.</summary>
    private static FlowNode? Target(MigrateInstance command, WorkflowDefinition to, string oldId) =>
        command.Mapping.TryGetValue(oldId, out var target) ? to.Nodes.GetValueOrDefault(target) : null;

    /// <summary>Whether a timer or message wait on <paramref name="wait"/> belongs to a token at <paramref name="at"/>.</summary>
    private static bool BelongsTo(FlowNode wait, FlowNode at) =>
        wait == at
        || (wait is BoundaryEvent boundary && boundary.AttachedToId == at.Id)
        || (at is EventBasedGateway gateway && gateway.Outgoing.Any(f => f.TargetId == wait.Id));

    internal static string? MessageOf(FlowNode node) => node switch
    {
        TaskNode { Kind: NodeKind.ReceiveTask } task => task.MessageName,
        ITriggeredEvent { Trigger: EventTrigger.Message } waiting => waiting.MessageName,
        _ => null,
    };

    /// <summary>Same kind: the same BPMN element, and for events the same trigger.</summary>
    private static bool SameKind(FlowNode a, FlowNode b) =>
        a.Kind == b.Kind
        && (a is not ITriggeredEvent ta || b is not ITriggeredEvent tb || ta.Trigger == tb.Trigger)
        && (a is not BoundaryEvent ba || b is not BoundaryEvent bb || ba.CancelActivity == bb.CancelActivity);

    private static string Describe(FlowNode node) => node is ITriggeredEvent { Trigger: not EventTrigger.None } t
        ? $"{t.Trigger.ToString().ToLowerInvariant()} {node.ElementName}"
        : node.ElementName;
}

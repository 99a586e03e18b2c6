using ContactCenter.Engine.Model;

namespace ContactCenter.Engine;

/// <summary>
/// The rules of docs/bpmn-subset.md that a parsed definition must meet before it may run. Every
/// problem is reported with its element id and line; nothing is fixed up silently.
/// </summary>
public static class DefinitionValidator
{
    /// <summary>Checks one definition on its own (call activities are checked by <see cref="ValidateSet"/>).</summary>
    public static IReadOnlyList<DefinitionProblem> Validate(WorkflowDefinition definition)
    {
        var problems = new List<DefinitionProblem>();
        void Problem(FlowNode node, string message) => problems.Add(new DefinitionProblem(definition.SourceName, node.Id, node.Line, message));

        foreach (var container in Containers(definition.Process))
        {
            var scope = container.SubProcessId is null ? "the process" : $"sub-process {container.SubProcessId}";
            var starts = container.NodeList.OfType<StartEvent>().ToList();
            if (starts.Count != 1)
            {
                var line = container.SubProcessId is { } id ? definition.Nodes[id].Line : container.Line;
                problems.Add(new DefinitionProblem(definition.SourceName, container.SubProcessId ?? definition.Key, line,
                    $"{scope} has {starts.Count} start events; it needs exactly one none start event"));
            }

            CheckReachability(container, Problem);
            CheckEnding(container, Problem);
            CheckBusyLoops(container, Problem);
        }

        foreach (var node in definition.Nodes.Values.OrderBy(n => n.Line))
        {
            CheckConnections(node, Problem);
            switch (node)
            {
                case ExclusiveGateway gateway:
                    CheckExclusive(gateway, Problem);
                    break;
                case EventBasedGateway gateway:
                    if (gateway.Outgoing.Count < 2)
                    {
                        Problem(node, "an event-based gateway needs at least two outgoing flows, one per event it waits for");
                    }

                    foreach (var flow in gateway.Outgoing)
                    {
                        if (flow.Target is not CatchEvent { Trigger: EventTrigger.Timer or EventTrigger.Message } target || target.Incoming.Count != 1)
                        {
                            Problem(node, $"flow {flow.Id} leads to {flow.Target}; an event-based gateway leads only to timer or message catch events that have no other incoming flow");
                        }
                    }

                    break;
                case ThrowEvent { LinkName: { } link, LinkTarget: null }:
                    Problem(node, $"link '{link}' has no catch event of the same name in this scope");
                    break;
                case TaskNode { Kind: NodeKind.ServiceTask, ServiceKind: null or "" }:
                    Problem(node, "a service task needs cc:serviceKind: what the runtime does (e.g. createTicket)");
                    break;
            }

            if (node is ITriggeredEvent { Trigger: EventTrigger.Timer, TimerDuration: null })
            {
                Problem(node, "the timer has no valid duration");
            }

            if (node is ITriggeredEvent { Trigger: EventTrigger.Message, MessageName: null })
            {
                Problem(node, "the message event names no declared message");
            }

            var needsLane = node is TaskNode || node is ExclusiveGateway { IsDecidedByAgent: true };
            if (needsLane && node.Lane is null)
            {
                Problem(node, "it sits in no lane; every task and every agent-decided gateway belongs to the lane of the role that does it");
            }
        }

        return problems;
    }

    /// <summary>Checks a whole folder's definitions together: each one, plus call activities resolving and keys unique.</summary>
    public static IReadOnlyList<DefinitionProblem> ValidateSet(IEnumerable<WorkflowDefinition> definitions)
    {
        var list = definitions.ToList();
        var problems = new List<DefinitionProblem>();
        var keys = new Dictionary<string, WorkflowDefinition>(StringComparer.Ordinal);
        foreach (var definition in list)
        {
            if (!keys.TryAdd(definition.Key, definition))
            {
                problems.Add(new DefinitionProblem(definition.SourceName, definition.Key, 0, $"definition key '{definition.Key}' is also used by {keys[definition.Key].SourceName}"));
            }
        }

        foreach (var definition in list)
        {
            foreach (var call in definition.Nodes.Values.OfType<CallActivity>())
            {
                if (!keys.ContainsKey(call.CalledKey))
                {
                    problems.Add(new DefinitionProblem(definition.SourceName, call.Id, call.Line, $"calledElement '{call.CalledKey}' is not a loaded definition"));
                }
            }
        }

        return problems;
    }

    private static IEnumerable<NodeContainer> Containers(NodeContainer container)
    {
        yield return container;
        foreach (var sub in container.NodeList.OfType<SubProcess>())
        {
            foreach (var nested in Containers(sub.Body))
            {
                yield return nested;
            }
        }
    }

    private static void CheckConnections(FlowNode node, Action<FlowNode, string> problem)
    {
        var isLinkCatch = node is CatchEvent { Trigger: EventTrigger.Link };
        var isLinkThrow = node is ThrowEvent { LinkName: not null };
        switch (node)
        {
            case StartEvent or BoundaryEvent when node.Incoming.Count > 0:
                problem(node, $"a {node.ElementName} cannot have incoming sequence flows");
                break;
            case not (StartEvent or BoundaryEvent) when !isLinkCatch && node.Incoming.Count == 0:
                problem(node, "no sequence flow leads here");
                break;
        }

        if (isLinkCatch && node.Incoming.Count > 0)
        {
            problem(node, "a link catch event is reached through its link, not by sequence flows");
        }

        if ((node is EndEvent || isLinkThrow) && node.Outgoing.Count > 0)
        {
            problem(node, $"{(isLinkThrow ? "a link throw event" : "an end event")} cannot have outgoing sequence flows");
        }

        if (node is not (EndEvent or ExclusiveGateway or ParallelGateway or EventBasedGateway) && !isLinkThrow)
        {
            if (node.Outgoing.Count == 0)
            {
                problem(node, "it has no outgoing sequence flow, so its token could never go on");
            }
            else if (node.Outgoing.Count > 1)
            {
                problem(node, $"it has {node.Outgoing.Count} outgoing sequence flows; branch with a gateway instead (activities and events have one)");
            }
        }

        if (node is not ExclusiveGateway)
        {
            foreach (var flow in node.Outgoing.Where(f => f.Condition is not null))
            {
                problem(node, $"flow {flow.Id} has a condition, but conditions are only evaluated on flows leaving an exclusive gateway");
            }
        }

        if (node is ParallelGateway or ExclusiveGateway && node.Outgoing.Count == 0)
        {
            problem(node, "a gateway needs at least one outgoing sequence flow");
        }
    }

    private static void CheckExclusive(ExclusiveGateway gateway, Action<FlowNode, string> problem)
    {
        if (gateway.Outgoing.Count < 2)
        {
            return;
        }

        if (gateway.IsDecidedByAgent)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var flow in gateway.Outgoing)
            {
                if (string.IsNullOrWhiteSpace(flow.Name))
                {
                    problem(gateway, $"flow {flow.Id} has no name; the agent picks an outgoing flow by its name (e.g. Ya / Tidak)");
                }
                else if (!names.Add(flow.Name))
                {
                    problem(gateway, $"two outgoing flows are both named '{flow.Name}'; the agent could not tell them apart");
                }
            }

            return;
        }

        foreach (var flow in gateway.Outgoing)
        {
            if (flow.Condition is null && flow != gateway.DefaultFlow)
            {
                problem(gateway, $"flow {flow.Id} has neither a condition nor is it the default; a condition-decided gateway needs one or the other on every outgoing flow");
            }
        }
    }

    /// <summary>The nodes a token can move to next from <paramref name="node"/>, within its scope.</summary>
    private static IEnumerable<FlowNode> Successors(FlowNode node)
    {
        foreach (var flow in node.Outgoing)
        {
            yield return flow.Target;
        }

        if (node is ThrowEvent { LinkTarget: { } target })
        {
            yield return target;
        }

        foreach (var boundary in node.Boundaries)
        {
            yield return boundary;
        }
    }

    private static void CheckReachability(NodeContainer container, Action<FlowNode, string> problem)
    {
        if (container.Start is null)
        {
            return;
        }

        var seen = new HashSet<FlowNode> { container.Start };
        var queue = new Queue<FlowNode>(seen);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in Successors(node))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        foreach (var node in container.NodeList.Where(n => !seen.Contains(n)))
        {
            problem(node, "it cannot be reached from the start event");
        }
    }

    /// <summary>Walks backwards from the end events, once over every flow and link.</summary>
    /// <remarks>
    /// A fixpoint loop over all nodes until nothing changed took one pass per node on a straight
    /// chain written start to end: quadratic, 47 s for 20,000 nodes (issue 16).
    /// </remarks>
    private static void CheckEnding(NodeContainer container, Action<FlowNode, string> problem)
    {
        // A boundary event is an alternative exit, not a way the activity itself ends, so it is
        // no predecessor of its host here; a link throw ends wherever its catch does.
        var linkThrows = new Dictionary<FlowNode, List<FlowNode>>();
        foreach (var node in container.NodeList)
        {
            if (node is ThrowEvent { LinkTarget: { } target })
            {
                if (!linkThrows.TryGetValue(target, out var throws))
                {
                    linkThrows[target] = throws = [];
                }

                throws.Add(node);
            }
        }

        var canEnd = new HashSet<FlowNode>(container.NodeList.OfType<EndEvent>());
        var queue = new Queue<FlowNode>(canEnd);
        while (queue.TryDequeue(out var node))
        {
            foreach (var flow in node.Incoming)
            {
                if (canEnd.Add(flow.Source))
                {
                    queue.Enqueue(flow.Source);
                }
            }

            foreach (var linkThrow in linkThrows.GetValueOrDefault(node) ?? [])
            {
                if (canEnd.Add(linkThrow))
                {
                    queue.Enqueue(linkThrow);
                }
            }
        }

        foreach (var node in container.NodeList.Where(n => !canEnd.Contains(n)))
        {
            problem(node, "no path from here reaches an end event, so an instance here could never complete");
        }
    }

    /// <summary>A cycle of nodes that never wait would spin forever within one command.</summary>
    private static void CheckBusyLoops(NodeContainer container, Action<FlowNode, string> problem)
    {
        static bool PassesThrough(FlowNode node) => node switch
        {
            TaskNode task => !task.IsWorkItem && task.Kind != NodeKind.ReceiveTask,
            ExclusiveGateway gateway => !gateway.IsDecidedByAgent,
            ParallelGateway gateway => gateway.Incoming.Count <= 1,
            StartEvent or ThrowEvent => true,
            CatchEvent { Trigger: EventTrigger.Link } => true,
            _ => false,
        };

        // Depth-first with an explicit stack: 1 = on the current path, 2 = done. Recursion here let
        // a long chain of service tasks set the stack depth (issue 16).
        var state = new Dictionary<FlowNode, int>();
        var reported = false;
        var path = new Stack<(FlowNode Node, IEnumerator<FlowNode> Next)>();
        foreach (var root in container.NodeList.Where(PassesThrough))
        {
            if (state.GetValueOrDefault(root) != 0)
            {
                continue;
            }

            state[root] = 1;
            path.Push((root, Successors(root).Where(PassesThrough).GetEnumerator()));
            while (path.TryPeek(out var top))
            {
                if (!top.Next.MoveNext())
                {
                    top.Next.Dispose();
                    state[top.Node] = 2;
                    path.Pop();
                    continue;
                }

                var next = top.Next.Current;
                var mark = state.GetValueOrDefault(next);
                if (mark == 1 && !reported)
                {
                    reported = true;
                    problem(next, "it is on a loop in which nothing waits (no task, timer or message), so a token would go round forever");
                }
                else if (mark == 0)
                {
                    state[next] = 1;
                    path.Push((next, Successors(next).Where(PassesThrough).GetEnumerator()));
                }
            }
        }
    }
}

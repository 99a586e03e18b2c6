using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;

namespace ContactCenter.Modules.Flows;

/// <summary>One purpose a kind of flow declares: whether it must be there, whether only once, on what, and who reads it.</summary>
/// <param name="Purpose">The <c>cc:purpose</c> name.</param>
/// <param name="DependsOnIt">What reads it, for the refusal: "the ticket desk's dispatch and close".</param>
/// <param name="Required">A flow of the kind without it is refused.</param>
/// <param name="OnlyOnce">A flow of the kind with it on two steps is refused.</param>
/// <param name="Kinds">The node kinds it may stand on; empty for any.</param>
public sealed record PurposeRule(string Purpose, string DependsOnIt, bool Required, bool OnlyOnce, IReadOnlyList<NodeKind> Kinds);

/// <summary>
/// What each kind of flow (<c>cc:flowKind</c>) must declare, because code of the product finds
/// the steps it works with by these purposes: a conversation flow for the scorecard, the ticket
/// flow for the ticket desk, the still-connected ladder for the scorecard and the dashboard. A
/// flow that declares no kind signs no contract, but a new version may not drop or change the
/// kind its key's published version declares (<see cref="DefinitionCatalog"/>).
/// </summary>
public static class FlowContracts
{
    private static readonly NodeKind[] Tasks = [NodeKind.UserTask, NodeKind.ManualTask];
    private static readonly NodeKind[] Decisions = [NodeKind.ExclusiveGateway];

    // A "masih terhubung?" prompt is the agent's step (user task) or, as a modelling choice, an automatic send task.
    private static readonly NodeKind[] Prompts = [NodeKind.UserTask, NodeKind.ManualTask, NodeKind.SendTask];

    public static IReadOnlyDictionary<string, IReadOnlyList<PurposeRule>> ByKind { get; } = new Dictionary<string, IReadOnlyList<PurposeRule>>(StringComparer.Ordinal)
    {
        [FlowKinds.Conversation] =
        [
            new(StepPurposes.OpeningGreeting, "the scorecard's opening-greeting rule (done before any other step)", Required: true, OnlyOnce: true, Tasks),
            new(StepPurposes.Verification, "the scorecard's data-verified rule", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.NeedIdentification, "the scorecard's need-identified rule", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.Solution, "the scorecard's data-verified and need-identified rules", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.MoreHelpDecision, "the scorecard's more-help-asked rule", Required: true, OnlyOnce: false, Decisions),
            new(StepPurposes.ClosingGreeting, "the scorecard's closing-greeting, more-help-asked and cross-selling rules", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.Documentation, "the scorecard's documentation rule", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.ComplaintDecision, "the agent console's complaint decision", Required: false, OnlyOnce: false, Decisions),
            new(StepPurposes.TicketCreation, "the complaint ticket it opens", Required: false, OnlyOnce: false, [NodeKind.ServiceTask]),
            new(StepPurposes.CrossSelling, "the scorecard's cross-selling rule", Required: false, OnlyOnce: false, Tasks),
        ],
        [FlowKinds.Ticket] =
        [
            new(StepPurposes.TicketReceived, "the ticket desk's dispatch and close (Tier 2 receives the ticket on the way)", Required: true, OnlyOnce: true, Tasks),
            new(StepPurposes.Tier2Identification, "the ticket desk's dispatch and close (Tier 2 identifies the problem on the way)", Required: true, OnlyOnce: true, Tasks),
            new(StepPurposes.Tier2Decision, "the ticket desk's dispatch and close", Required: true, OnlyOnce: true, Decisions),
            new(StepPurposes.Dispatch, "the ticket desk's dispatch (the decision's outcome that leads to it dispatches)", Required: true, OnlyOnce: true, [NodeKind.ServiceTask]),
            new(StepPurposes.RelatedTeamWork, "the related team's queue", Required: true, OnlyOnce: false, Tasks),
            new(StepPurposes.TicketClose, "the ticket desk's close", Required: true, OnlyOnce: true, Tasks),
            new(StepPurposes.SlaWarning, "the ticket's SLA warning", Required: true, OnlyOnce: true, [NodeKind.BoundaryEvent]),
            new(StepPurposes.SlaBreach, "the ticket's SLA breach", Required: true, OnlyOnce: true, [NodeKind.BoundaryEvent]),
        ],
        [FlowKinds.StillConnected] =
        [
            new(StepPurposes.StillConnectedPrompt1, "the scorecard's still-connected-prompts rule (the first prompt) and the console's countdown", Required: true, OnlyOnce: true, Prompts),
            new(StepPurposes.StillConnectedPrompt2, "the scorecard's still-connected-prompts rule (the second prompt) and the console's countdown", Required: true, OnlyOnce: true, Prompts),
            new(StepPurposes.StillConnectedPromptEnded, "the scorecard's still-connected-prompts rule (2c: the customer ended the chat)", Required: false, OnlyOnce: true, Prompts),
            new(StepPurposes.StillConnectedAgentClose, "the scorecard's silence-close rule (2c: the agent may close, not before the minute)", Required: false, OnlyOnce: true, Tasks),
            new(StepPurposes.StillConnectedClose, "the scorecard's silence-close rule and the dashboard's silence closes", Required: true, OnlyOnce: true, [NodeKind.EndEvent]),
        ],
    };

    /// <summary>Every purpose name the product knows.</summary>
    public static IReadOnlySet<string> KnownPurposes { get; } = ByKind.Values.SelectMany(r => r).Select(r => r.Purpose).ToHashSet(StringComparer.Ordinal);

    /// <summary>What is wrong with <paramref name="definition"/> as a flow of the kind it declares: each problem names the purpose and what depends on it.</summary>
    public static IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var source = definition.SourceName;
        foreach (var node in definition.Nodes.Values.OrderBy(n => n.Line))
        {
            foreach (var purpose in node.Purposes.Where(p => !KnownPurposes.Contains(p)))
            {
                yield return new DefinitionProblem(source, node.Id, node.Line, $"cc:purpose '{purpose}' is not a purpose the product knows ({string.Join(", ", KnownPurposes.Order(StringComparer.Ordinal))})");
            }
        }

        if (definition.FlowKind is not { } kind)
        {
            yield break;
        }

        if (!ByKind.TryGetValue(kind, out var rules))
        {
            yield return new DefinitionProblem(source, definition.Key, definition.Process.Line, $"cc:flowKind '{kind}' is not a kind of flow the product knows ({string.Join(", ", ByKind.Keys)})");
            yield break;
        }

        foreach (var rule in rules)
        {
            var nodes = definition.NodesWithPurpose(rule.Purpose).ToList();
            if (nodes.Count == 0 && rule.Required)
            {
                yield return new DefinitionProblem(source, definition.Key, definition.Process.Line, $"no step has cc:purpose {rule.Purpose}, which a {kind} flow must have: {rule.DependsOnIt} needs it");
            }

            if (nodes.Count > 1 && rule.OnlyOnce)
            {
                yield return new DefinitionProblem(source, nodes[1].Id, nodes[1].Line, $"cc:purpose {rule.Purpose} is on {nodes.Count} steps ({string.Join(", ", nodes.Select(n => n.Id))}); a {kind} flow has it once: {rule.DependsOnIt} needs to know which");
            }

            foreach (var node in nodes.Where(n => rule.Kinds.Count > 0 && !rule.Kinds.Contains(n.Kind)))
            {
                yield return new DefinitionProblem(source, node.Id, node.Line, $"cc:purpose {rule.Purpose} belongs on {string.Join(" or ", rule.Kinds.Select(ElementName))}, not {node.ElementName}: {rule.DependsOnIt} needs it there");
            }
        }

        if (kind == FlowKinds.Ticket)
        {
            foreach (var decision in definition.NodesWithPurpose(StepPurposes.Tier2Decision).Where(d => d.Kind == NodeKind.ExclusiveGateway))
            {
                var toDispatch = decision.Outgoing.Count(f => f.Target.HasPurpose(StepPurposes.Dispatch));
                if (toDispatch != 1 || decision.Outgoing.Count < 2)
                {
                    yield return new DefinitionProblem(source, decision.Id, decision.Line, $"cc:purpose {StepPurposes.Tier2Decision} needs one outcome leading straight to the {StepPurposes.Dispatch} step and another that does not: the ticket desk's dispatch picks the first, its close the other");
                }
            }
        }
    }

    private static string ElementName(NodeKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}

/// <summary>The flow contracts as the catalogue's definition check (registered by the modules).</summary>
public sealed class FlowContractCheck : IDefinitionCheck
{
    public IEnumerable<DefinitionProblem> Check(WorkflowDefinition definition) => FlowContracts.Check(definition);
}

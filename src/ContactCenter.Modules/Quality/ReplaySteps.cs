using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;

namespace ContactCenter.Modules.Quality;

/// <summary>An element of a flow, with its name from the pinned definition (null when the definition does not have it).</summary>
public sealed record ElementRef(string DefinitionKey, string ElementId, string? Name);

/// <summary>A token in the state after a step: where it stands.</summary>
public sealed record StepToken(long Id, string DefinitionKey, string ElementId, string? Name);

/// <summary>An open work item in the state after a step.</summary>
public sealed record StepWorkItem(long Id, string DefinitionKey, string ElementId, string? Name, string? Lane, string? Step, string? Script, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Fields, DateTimeOffset CreatedAt);

/// <summary>A pending timer in the state after a step; <see cref="Held"/> when an SLA clock is paused.</summary>
public sealed record StepTimer(long Id, string DefinitionKey, string ElementId, string? Name, DateTimeOffset DueAt, string? SlaPolicy, bool Held);

/// <summary>A message the instance waits for after a step (a customer's reply).</summary>
public sealed record StepWait(long Id, string DefinitionKey, string ElementId, string? Name, string MessageName);

/// <summary>
/// The instance's state after one journal event, as the engine's fold gives it (never recomputed
/// by the browser). <see cref="Variables"/> are all variables in effect; <see cref="Changed"/>
/// the names this event set.
/// </summary>
public sealed record StepState(
    InstanceStatus Status,
    DateTimeOffset? EndedAt,
    string? EndReason,
    IReadOnlyList<StepToken> Tokens,
    IReadOnlyList<StepWorkItem> WorkItems,
    IReadOnlyList<StepTimer> Timers,
    IReadOnlyList<StepWait> Waits,
    IReadOnlyDictionary<string, Value> Variables,
    IReadOnlyList<string> Changed);

/// <summary>
/// One journal event with the state after it. <see cref="Details"/> are the event's own fields
/// (everything but type, sequence, at and actor) exactly as journaled; <see cref="Element"/> is the
/// element it concerns (for a completed work item, a fired timer or a received message: the
/// element that created, armed or awaited it).
/// </summary>
public sealed record ReplayStep(long Sequence, string Type, DateTimeOffset At, string? Actor, ElementRef? Element, string? FlowId, JsonObject Details, StepState? State);

/// <summary>How often an element was entered (or a sequence flow taken) over the whole history.</summary>
public sealed record PathCount(string DefinitionKey, string Id, int Count, long FirstSequence);


/// <summary>Where folding the journal stopped: the event that does not fit the state before it.</summary>
public sealed record FoldProblem(long Sequence, string Message);

/// <summary>
/// A history stepped through: every journal event with the state after it, the path taken
/// (visits per element, flows taken), and the conversation with the sequence of each line.
/// </summary>
public sealed record ReplayStepsView(
    int EventCount,
    IReadOnlyList<ReplayStep> Steps,
    IReadOnlyList<PathCount> Visits,
    IReadOnlyList<PathCount> Flows,
    IReadOnlyList<ConversationLine> Conversation,
    FoldProblem? FoldProblem);

/// <summary>
/// Builds <see cref="ReplayStepsView"/> from a journal and the definitions it ran on. The state
/// after step N is <see cref="WorkflowEngine.Evolve"/> applied to the first N events, one at a
/// time, so it is exactly what <see cref="WorkflowEngine.Fold"/> of those N events gives. A journal
/// that stops folding (tampered, truncated) keeps its steps; those from the bad one on have no state.
/// </summary>
public static class ReplayStepsBuilder
{
    private static readonly HashSet<string> EnvelopeFields = ["type", "sequence", "at", "actor"];

    public static ReplayStepsView Build(IReadOnlyList<WorkflowEvent> journal, DefinitionSet definitions)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(definitions);
        var names = new Names(definitions);
        var scopeKeys = new Dictionary<long, string>();
        var tokenScopes = new Dictionary<long, long>();
        var workItems = new Dictionary<long, ElementRef>();
        var timers = new Dictionary<long, ElementRef>();
        var subscriptions = new Dictionary<long, ElementRef>();
        var visits = new Dictionary<(string, string), (int Count, long First)>();
        var flows = new Dictionary<(string, string), (int Count, long First)>();
        var conversation = new ConversationTranscript();
        var steps = new List<ReplayStep>(journal.Count);
        var rootKey = (journal.Count > 0 ? journal[0] as InstanceStarted : null)?.DefinitionKey ?? string.Empty;
        InstanceState? state = InstanceState.Empty;
        FoldProblem? problem = null;

        string KeyOfToken(long tokenId) => tokenScopes.TryGetValue(tokenId, out var scope) && scopeKeys.TryGetValue(scope, out var key) ? key : rootKey;

        foreach (var e in journal)
        {
            conversation.Add(e);
            names.Observe(e);
            ElementRef? element = null;
            string? flowId = null;
            switch (e)
            {
                case ScopeStarted scope:
                    scopeKeys[scope.ScopeId] = scope.DefinitionKey;
                    if (scope.SubProcessId is { } sub)
                    {
                        element = names.Ref(scope.DefinitionKey, sub);
                    }

                    break;
                case ElementEntered entered:
                    tokenScopes[entered.TokenId] = entered.ScopeId;
                    element = names.Ref(scopeKeys.GetValueOrDefault(entered.ScopeId, rootKey), entered.ElementId);
                    flowId = entered.FlowId;
                    Count(visits, (element.DefinitionKey, entered.ElementId), e.Sequence);
                    if (entered.FlowId is { } arrived)
                    {
                        Count(flows, (element.DefinitionKey, arrived), e.Sequence);
                    }

                    break;
                case ElementLeft left:
                    element = names.Ref(KeyOfToken(left.TokenId), left.ElementId);
                    flowId = left.FlowId;
                    break;
                case TokenEnded ended:
                    element = names.Ref(KeyOfToken(ended.TokenId), ended.ElementId);
                    break;
                case WorkItemCreated item:
                    element = names.Ref(KeyOfToken(item.TokenId), item.ElementId);
                    workItems[item.WorkItemId] = element;
                    break;
                case WorkItemCompleted done:
                    element = workItems.GetValueOrDefault(done.WorkItemId);
                    break;
                case WorkItemCancelled cancelled:
                    element = workItems.GetValueOrDefault(cancelled.WorkItemId);
                    break;
                case TimerScheduled timer:
                    element = names.Ref(KeyOfToken(timer.TokenId), timer.ElementId);
                    timers[timer.TimerId] = element;
                    break;
                case TimerFired fired:
                    element = timers.GetValueOrDefault(fired.TimerId);
                    break;
                case TimerCancelled cancelled:
                    element = timers.GetValueOrDefault(cancelled.TimerId);
                    break;
                case TimerRescheduled moved:
                    element = timers.GetValueOrDefault(moved.TimerId);
                    break;
                case MessageSubscribed subscribed:
                    element = names.Ref(KeyOfToken(subscribed.TokenId), subscribed.ElementId);
                    subscriptions[subscribed.SubscriptionId] = element;
                    break;
                case MessageUnsubscribed unsubscribed:
                    element = subscriptions.GetValueOrDefault(unsubscribed.SubscriptionId);
                    break;
                case MessageReceived received:
                    element = received.SubscriptionId is { } id ? subscriptions.GetValueOrDefault(id) : null;
                    break;
                case PromptSent prompt:
                    element = names.Ref(KeyOfToken(prompt.TokenId), prompt.ElementId);
                    break;
                case ServiceInvoked service:
                    element = names.Ref(KeyOfToken(service.TokenId), service.ElementId);
                    break;
                case VariablesSet set when set.ElementId != JournalReplay.ContextElement:
                    element = names.Ref(rootKey, set.ElementId) is { Name: not null } found ? found : null;
                    break;
                case InstanceFaulted faulted when faulted.ElementId is { } at:
                    element = names.Ref(rootKey, at);
                    break;
                case InstanceMigrated migrated:
                    // What was opened before the move is closed after it under the new version's element.
                    Remap(workItems, migrated, names);
                    Remap(timers, migrated, names);
                    Remap(subscriptions, migrated, names);
                    break;
                default:
                    break;
            }

            StepState? after = null;
            if (state is not null)
            {
                try
                {
                    state = WorkflowEngine.Evolve(state, e);
                    after = StateOf(state, e, names);
                }
                catch (JournalException bad)
                {
                    problem = new FoldProblem(bad.Sequence, bad.Message);
                    state = null;
                }
            }

            steps.Add(new ReplayStep(e.Sequence, JournalSerializer.TypeNameOf(e), e.At, e.Actor, element, flowId, DetailsOf(e), after));
        }

        return new ReplayStepsView(
            journal.Count,
            steps,
            [.. visits.Select(v => new PathCount(v.Key.Item1, v.Key.Item2, v.Value.Count, v.Value.First)).OrderBy(v => v.FirstSequence)],
            [.. flows.Select(v => new PathCount(v.Key.Item1, v.Key.Item2, v.Value.Count, v.Value.First)).OrderBy(v => v.FirstSequence)],
            conversation.Lines,
            problem);
    }

    private static void Remap(Dictionary<long, ElementRef> refs, InstanceMigrated migrated, Names names)
    {
        foreach (var (id, element) in refs.Where(r => r.Value.DefinitionKey == migrated.DefinitionKey).ToList())
        {
            refs[id] = names.Ref(element.DefinitionKey, migrated.Mapping.GetValueOrDefault(element.ElementId, element.ElementId));
        }
    }

    private static void Count(Dictionary<(string, string), (int Count, long First)> counts, (string, string) key, long sequence) =>
        counts[key] = counts.TryGetValue(key, out var c) ? (c.Count + 1, c.First) : (1, sequence);

    private static JsonObject DetailsOf(WorkflowEvent e)
    {
        var node = JsonSerializer.SerializeToNode(e, JournalSerializer.Options) as JsonObject ?? [];
        foreach (var field in EnvelopeFields)
        {
            node.Remove(field);
        }

        return node;
    }

    private static StepState StateOf(InstanceState state, WorkflowEvent e, Names names)
    {
        string KeyOf(long tokenId) => state.ScopeOfToken(tokenId)?.DefinitionKey ?? state.DefinitionKey ?? string.Empty;

        var tokens = state.Tokens
            .Select(t =>
            {
                var key = state.Scopes.FirstOrDefault(s => s.Id == t.ScopeId)?.DefinitionKey ?? state.DefinitionKey ?? string.Empty;
                return new StepToken(t.Id, key, t.ElementId, names.NameOf(key, t.ElementId));
            })
            .ToList();
        var items = state.WorkItems
            .Select(w => new StepWorkItem(w.Id, KeyOf(w.TokenId), w.ElementId, w.Name, w.Lane, w.Step, w.Script, w.Outcomes, w.Fields, w.CreatedAt))
            .ToList();
        var timers = state.Timers
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id)
            .Select(t =>
            {
                var key = KeyOf(t.TokenId);
                return new StepTimer(t.Id, key, t.ElementId, names.NameOf(key, t.ElementId), t.DueAt, t.SlaPolicy, t.Held);
            })
            .ToList();
        var waits = state.Subscriptions
            .Select(s =>
            {
                var key = KeyOf(s.TokenId);
                return new StepWait(s.Id, key, s.ElementId, names.NameOf(key, s.ElementId), s.MessageName);
            })
            .ToList();
        IReadOnlyList<string> changed = e switch
        {
            InstanceStarted started => [.. started.Variables.Keys],
            VariablesSet set => [.. set.Values.Keys],
            _ => [],
        };
        return new StepState(state.Status, state.EndedAt, state.EndReason, tokens, items, timers, waits, state.Variables, changed);
    }

    /// <summary>
    /// Element names of the version each key runs at the event being read: the version its scope
    /// started on, the version a migration moved it to from that event on; the pinned version when
    /// the set lacks it.
    /// </summary>
    private sealed class Names(DefinitionSet definitions)
    {
        private readonly Dictionary<string, int> _inEffect = new(StringComparer.Ordinal);

        public void Observe(WorkflowEvent e)
        {
            switch (e)
            {
                case InstanceStarted started:
                    _inEffect[started.DefinitionKey] = started.DefinitionVersion;
                    break;
                case ScopeStarted scope:
                    _inEffect[scope.DefinitionKey] = scope.DefinitionVersion;
                    break;
                case InstanceMigrated migrated:
                    _inEffect[migrated.DefinitionKey] = migrated.ToVersion;
                    break;
            }
        }

        public string? NameOf(string key, string elementId) =>
            Definition(key) is { } definition && definition.Nodes.TryGetValue(elementId, out var node) ? node.Name : null;

        private WorkflowDefinition? Definition(string key) =>
            _inEffect.TryGetValue(key, out var version) && definitions.TryGet(key, version, out var exact) ? exact
            : definitions.TryGet(key, out var pinned, out _) ? pinned : null;

        public ElementRef Ref(string key, string elementId) => new(key, elementId, NameOf(key, elementId));
    }
}

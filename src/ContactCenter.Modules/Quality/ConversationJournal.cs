using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;

namespace ContactCenter.Modules.Quality;

/// <summary>A work item as the journal tells it: created, then completed or cancelled (or still open).</summary>
internal sealed record JournaledWorkItem(WorkItemCreated Created, long ScopeId, string DefinitionKey, FlowNode? Node)
{
    public WorkItemCompleted? Completed { get; set; }

    public WorkItemCancelled? Cancelled { get; set; }

    /// <summary>The script on the screen when the item was completed, when it was not the one it opened with (a <c>script-shown</c> annotation).</summary>
    public Annotated? ShownAtCompletion { get; set; }

    /// <summary>What the person read when they did the step: the script shown at completion, else the one it opened with.</summary>
    public string? ScriptAtCompletion =>
        ShownAtCompletion is { } shown && shown.Data.TryGetValue(Runtime.Instances.InstanceRuntime.ShownScriptKeys.Script, out var script) && script.Kind == ValueKind.String
            ? script.AsString
            : Created.Script;

    public string ElementId => Created.ElementId;

    /// <summary>The sequence the item was done at, or <see cref="long.MaxValue"/> when it was not.</summary>
    public long DoneAt => Completed?.Sequence ?? long.MaxValue;
}

/// <summary>A scope of a called definition (a wait of the "still connected?" ladder, say).</summary>
internal sealed record JournaledScope(ScopeStarted Started, WorkflowDefinition? Definition)
{
    /// <summary>The version the scope runs at this point of the journal: a migration moves it.</summary>
    public WorkflowDefinition? Definition { get; set; } = Definition;

    public ScopeCompleted? Completed { get; set; }
}

/// <summary>
/// One pass over a conversation's journal, indexed for the rules: which scope (and so which
/// definition) every token, work item, prompt and service call belongs to. Reads the journal
/// only; it never folds state, so a hand-edited or partial journal still scores.
/// </summary>
internal sealed class ConversationJournal
{
    private readonly Dictionary<long, long> _tokenScope = [];
    private readonly Dictionary<long, JournaledWorkItem> _workItemsById = [];
    private readonly List<(long Sequence, DateTimeOffset At, string Source, IReadOnlyDictionary<string, Value> Values)> _variables = [];

    public ConversationJournal(IReadOnlyList<WorkflowEvent> journal, DefinitionSet definitions)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(definitions);
        if (journal.Count == 0 || journal[0] is not InstanceStarted started)
        {
            throw new ArgumentException("a journal begins with instance-started@1", nameof(journal));
        }

        Events = journal;
        Started = started;
        Definitions = definitions;
        Root = definitions.TryGet(started.DefinitionKey, out var root, out _)
            ? root
            : throw new ArgumentException($"the definition '{started.DefinitionKey}' the journal ran on is not in the set", nameof(definitions));
        _variables.Add((started.Sequence, started.At, "instance-started@1", started.Variables));
        foreach (var e in journal)
        {
            Index(e);
        }
    }

    public IReadOnlyList<WorkflowEvent> Events { get; }

    public InstanceStarted Started { get; }

    public DefinitionSet Definitions { get; }

    /// <summary>The conversation's own flow (the definition it started on).</summary>
    public WorkflowDefinition Root { get; }

    public WorkflowEvent Last => Events[^1];

    /// <summary>instance-completed, -cancelled or -faulted; null while the conversation runs.</summary>
    public WorkflowEvent? End { get; private set; }

    public bool IsCompleted => End is InstanceCompleted;

    public Dictionary<long, JournaledScope> Scopes { get; } = [];

    /// <summary>In creation order.</summary>
    public List<JournaledWorkItem> WorkItems { get; } = [];

    public List<(PromptSent Prompt, long ScopeId, FlowNode? Node)> Prompts { get; } = [];

    public List<ServiceInvoked> Services { get; } = [];

    public List<(ElementEntered Entered, FlowNode? Node)> Entries { get; } = [];

    /// <summary>Work items of the conversation's own flow that <paramref name="selector"/> picks.</summary>
    public IEnumerable<JournaledWorkItem> ItemsOf(ElementSelector selector) =>
        WorkItems.Where(w => w.DefinitionKey == Root.Key && w.Node is { } node && selector.Matches(node));

    /// <summary>The same, done (completed), in the order they were done.</summary>
    public List<JournaledWorkItem> DoneOf(ElementSelector selector) =>
        [.. ItemsOf(selector).Where(w => w.Completed is not null).OrderBy(w => w.DoneAt)];

    /// <summary>The value of <paramref name="name"/> in effect just before <paramref name="sequence"/>, and where it was set.</summary>
    public (Value Value, long Sequence, DateTimeOffset At, string Source)? VariableBefore(string name, long sequence)
    {
        for (var i = _variables.Count - 1; i >= 0; i--)
        {
            var (seq, at, source, values) = _variables[i];
            if (seq < sequence && values.TryGetValue(name, out var value))
            {
                return (value, seq, at, source);
            }
        }

        return null;
    }

    private void Index(WorkflowEvent e)
    {
        switch (e)
        {
            case ScopeStarted scope:
                Scopes[scope.ScopeId] = new JournaledScope(scope, VersionOf(scope.DefinitionKey, scope.DefinitionVersion));
                break;
            case InstanceMigrated migrated:
                // From here on the key's scopes run the version moved to: what happened before
                // keeps the elements (and purposes) of the version it happened on.
                foreach (var moved in Scopes.Values.Where(s => s.Started.DefinitionKey == migrated.DefinitionKey && s.Completed is null))
                {
                    moved.Definition = VersionOf(migrated.DefinitionKey, migrated.ToVersion);
                }

                break;
            case ScopeCompleted completed when Scopes.TryGetValue(completed.ScopeId, out var scope):
                scope.Completed = completed;
                break;
            case ElementEntered entered:
                _tokenScope[entered.TokenId] = entered.ScopeId;
                Entries.Add((entered, NodeIn(entered.ScopeId, entered.ElementId)));
                break;
            case WorkItemCreated created:
                var scopeId = _tokenScope.GetValueOrDefault(created.TokenId);
                var key = Scopes.TryGetValue(scopeId, out var owner) ? owner.Started.DefinitionKey : Root.Key;
                var opened = new JournaledWorkItem(created, scopeId, key, NodeIn(scopeId, created.ElementId));
                WorkItems.Add(opened);
                _workItemsById[created.WorkItemId] = opened;
                break;
            case Annotated { Kind: Runtime.Instances.InstanceRuntime.ScriptShownKind } shown
                when shown.Data.TryGetValue(Runtime.Instances.InstanceRuntime.ShownScriptKeys.WorkItem, out var shownItem)
                    && shownItem.Kind == ValueKind.Number
                    && _workItemsById.TryGetValue((long)shownItem.AsNumber, out var shownFor):
                shownFor.ShownAtCompletion = shown;
                break;
            case WorkItemCompleted done when _workItemsById.TryGetValue(done.WorkItemId, out var item):
                item.Completed = done;
                break;
            case WorkItemCancelled cancelled when _workItemsById.TryGetValue(cancelled.WorkItemId, out var item):
                item.Cancelled = cancelled;
                break;
            case PromptSent prompt:
                var promptScope = _tokenScope.GetValueOrDefault(prompt.TokenId);
                Prompts.Add((prompt, promptScope, NodeIn(promptScope, prompt.ElementId)));
                break;
            case ServiceInvoked service:
                Services.Add(service);
                break;
            case VariablesSet set:
                _variables.Add((set.Sequence, set.At, set.ElementId == JournalReplay.ContextElement ? "variables-set@1 on $context" : $"variables-set@1 at {set.ElementId}", set.Values));
                break;
            case InstanceCompleted or InstanceCancelled or InstanceFaulted:
                End = e;
                break;
            default:
                break;
        }
    }

    /// <summary>That version when the set holds it, else the pinned one (a set without history).</summary>
    private WorkflowDefinition? VersionOf(string key, int version) =>
        Definitions.TryGet(key, version, out var exact) ? exact : Definitions.TryGet(key, out var pinned, out _) ? pinned : null;

    private FlowNode? NodeIn(long scopeId, string elementId) =>
        Scopes.TryGetValue(scopeId, out var scope) && scope.Definition is { } definition && definition.Nodes.TryGetValue(elementId, out var node) ? node : null;
}

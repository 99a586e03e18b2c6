using System.Collections.Immutable;
using System.Globalization;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;

namespace ContactCenter.Engine.Simulation;

/// <summary>
/// Runs a <see cref="SimulationScript"/> against a <see cref="WorkflowEngine"/> on a virtual
/// clock. Pure: time comes from the script, so the same script and definitions always give the
/// same journal. Before each step every pending timer due at or before the step's time fires, in
/// due order and at its own due time; after the last step timers keep firing until the instance
/// ends or none is pending (at most <see cref="SimulationScript.MaxSettleTimers"/>).
/// </summary>
public sealed class Simulator(WorkflowEngine engine)
{
    public WorkflowEngine Engine { get; } = engine;

    public SimulationResult Run(SimulationScript script)
    {
        var run = new ScriptRun(Engine, script);
        var error = run.Execute();
        var expectations = error is null && script.Expect is { } expect ? Check(script, expect, run) : [];
        if (error is null && script.Expect?.Status is null && run.State.Status == InstanceStatus.Faulted)
        {
            error = $"the instance faulted at {run.State.FaultElementId}: {run.State.EndReason} (add expect.status \"Faulted\" if that is the point)";
        }

        return new SimulationResult(script, run.Records, run.Journal, run.State, expectations, error);
    }

    private static List<ExpectationResult> Check(SimulationScript script, ScriptExpectations expect, ScriptRun run)
    {
        var results = new List<ExpectationResult>();
        var state = run.State;
        string At(DateTimeOffset at) => TimeOffset.Format(at - script.Start);

        if (expect.Status is { } status)
        {
            results.Add(new("status", state.Status == status, $"expected {status}, got {state.Status}"));
        }

        if (expect.EndedAt is { } endedAt)
        {
            var actual = state.EndedAt is { } e ? At(e) : "not ended";
            results.Add(new("endedAt", state.EndedAt is { } ended && ended - script.Start == endedAt, $"expected {TimeOffset.Format(endedAt)}, got {actual}"));
        }

        if (expect.Prompts is { } prompts)
        {
            var sent = run.Journal.OfType<PromptSent>().ToList();
            var problems = new List<string>();
            for (var i = 0; i < Math.Max(prompts.Count, sent.Count); i++)
            {
                if (i >= prompts.Count)
                {
                    problems.Add($"unexpected prompt {i + 1} at {At(sent[i].At)}: \"{sent[i].Text}\"");
                    continue;
                }

                var want = prompts[i];
                if (i >= sent.Count)
                {
                    problems.Add($"prompt {i + 1} expected at {TimeOffset.Format(want.Offset)} was not sent");
                    continue;
                }

                var got = sent[i];
                if (got.At - script.Start != want.Offset)
                {
                    problems.Add($"prompt {i + 1} expected at {TimeOffset.Format(want.Offset)}, sent at {At(got.At)}");
                }

                if (want.Text is not null && !string.Equals(want.Text, got.Text, StringComparison.Ordinal))
                {
                    problems.Add($"prompt {i + 1} expected \"{want.Text}\", sent \"{got.Text}\"");
                }

                if (want.Step is not null && !string.Equals(want.Step, got.Step, StringComparison.Ordinal))
                {
                    problems.Add($"prompt {i + 1} expected SOP step {want.Step}, was {got.Step ?? "none"}");
                }
            }

            var summary = sent.Count == 0 ? "no prompts" : string.Join(", ", sent.Select(p => $"{At(p.At)} {p.Step ?? p.ElementId}"));
            results.Add(new("prompts", problems.Count == 0, problems.Count == 0 ? summary : string.Join("; ", problems)));
        }

        if (expect.Services is { } services)
        {
            var invoked = run.Journal.OfType<ServiceInvoked>().ToList();
            var problems = new List<string>();
            for (var i = 0; i < Math.Max(services.Count, invoked.Count); i++)
            {
                if (i >= services.Count)
                {
                    problems.Add($"unexpected service {invoked[i].ServiceKind} at {At(invoked[i].At)}");
                }
                else if (i >= invoked.Count)
                {
                    problems.Add($"service {services[i].Kind} was not invoked");
                }
                else if (!string.Equals(services[i].Kind, invoked[i].ServiceKind, StringComparison.Ordinal)
                    || (services[i].Offset is { } when && invoked[i].At - script.Start != when))
                {
                    var when2 = services[i].Offset is { } w ? " at " + TimeOffset.Format(w) : string.Empty;
                    problems.Add($"service {i + 1} expected {services[i].Kind}{when2}, got {invoked[i].ServiceKind} at {At(invoked[i].At)}");
                }
            }

            var summary = invoked.Count == 0 ? "none invoked" : string.Join(", ", invoked.Select(s => $"{At(s.At)} {s.ServiceKind}"));
            results.Add(new("services", problems.Count == 0, problems.Count == 0 ? summary : string.Join("; ", problems)));
        }

        if (expect.Variables is { } variables)
        {
            var problems = variables
                .Where(v => !state.Get(v.Key).Equals(v.Value))
                .Select(v => $"{v.Key}: expected {v.Value.Describe()}, got {state.Get(v.Key).Describe()}")
                .ToList();
            results.Add(new("variables", problems.Count == 0, problems.Count == 0 ? string.Join(", ", variables.Select(v => $"{v.Key} = {v.Value.Describe()}")) : string.Join("; ", problems)));
        }

        if (expect.OpenWorkItems is { } open)
        {
            var items = state.WorkItems.ToList();
            var problems = new List<string>();
            if (items.Count != open.Count)
            {
                problems.Add($"expected {open.Count} open work item(s), found {items.Count}");
            }

            foreach (var selector in open)
            {
                if (!items.Any(w => WorkItemSelector.Matches(w, selector)))
                {
                    problems.Add($"no open work item matches '{selector}'");
                }
            }

            var list = items.Count == 0 ? "none" : string.Join(", ", items.Select(WorkItemSelector.Describe));
            results.Add(new("openWorkItems", problems.Count == 0, problems.Count == 0 ? list : string.Join("; ", problems) + $" (open: {list})"));
        }

        return results;
    }

    /// <summary>The mutable part of one run: state, journal and the record describer.</summary>
    private sealed class ScriptRun(WorkflowEngine engine, SimulationScript script)
    {
        private readonly RecordDescriber _describer = new(engine, script.Start);

        public InstanceState State { get; private set; } = InstanceState.Empty;

        public List<WorkflowEvent> Journal { get; } = [];

        public List<SimulationRecord> Records { get; } = [];

        public string? Execute()
        {
            try
            {
                Apply(new StartInstance(script.Workflow, script.Variables) { Actor = script.Agent }, script.Start, 0);
            }
            catch (WorkflowCommandRejectedException e)
            {
                return $"start: {e.Message}";
            }

            foreach (var step in script.Steps)
            {
                var now = script.Start + step.Offset;
                if (FireTimersDueBy(now, int.MaxValue) is { } timerError)
                {
                    return $"{step.Describe()}: {timerError}";
                }

                if (step.Kind == ScriptStepKind.Wait)
                {
                    continue;
                }

                if (!State.IsRunning)
                {
                    var ended = State.EndedAt is { } e ? $" at {TimeOffset.Format(e - script.Start)}" : string.Empty;
                    return $"{step.Describe()} at {TimeOffset.Format(step.Offset)}: the instance already ended ({State.Status}{ended})";
                }

                try
                {
                    Apply(Command(step), now, step.Number);
                }
                catch (WorkflowCommandRejectedException e)
                {
                    return $"{step.Describe()} at {TimeOffset.Format(step.Offset)}: refused ({e.Reason}): {e.Message}";
                }
                catch (SimulationScriptException e)
                {
                    return $"{step.Describe()} at {TimeOffset.Format(step.Offset)}: {e.Message}";
                }
            }

            if (script.Settle)
            {
                var fired = 0;
                while (State.IsRunning && State.NextTimer() is { } timer)
                {
                    if (fired++ >= script.MaxSettleTimers)
                    {
                        return $"after the last step: still running after firing {script.MaxSettleTimers} timers (next due at {TimeOffset.Format(timer.DueAt - script.Start)}); raise maxSettleTimers or add steps";
                    }

                    Apply(new FireTimer(timer.Id), timer.DueAt, null);
                }
            }

            return null;
        }

        private string? FireTimersDueBy(DateTimeOffset now, int limit)
        {
            var fired = 0;
            while (State.IsRunning && State.NextTimer() is { } timer && timer.DueAt <= now)
            {
                if (fired++ >= limit)
                {
                    return "too many timers";
                }

                Apply(new FireTimer(timer.Id), timer.DueAt, null);
            }

            return null;
        }

        private WorkflowCommand Command(ScriptStep step) => step.Kind switch
        {
            ScriptStepKind.Complete => new CompleteWorkItem(WorkItemSelector.Select(State, step.Argument!).Id, step.Outcome, step.Data) { Actor = step.Actor ?? script.Agent },
            ScriptStepKind.Customer => new DeliverMessage("customer-message", step.Argument, step.MessageId ?? string.Create(CultureInfo.InvariantCulture, $"msg-{step.Number}")) { Actor = step.Actor ?? script.Customer },
            ScriptStepKind.CustomerEnded => new DeliverMessage("customer-ended", step.Argument, step.MessageId ?? string.Create(CultureInfo.InvariantCulture, $"msg-{step.Number}")) { Actor = step.Actor ?? script.Customer },
            ScriptStepKind.Cancel => new CancelInstance(step.Argument!) { Actor = step.Actor ?? script.Agent },
            _ => throw new InvalidOperationException("a wait step has no command"),
        };

        private void Apply(WorkflowCommand command, DateTimeOffset now, int? scriptStep)
        {
            var decision = engine.Decide(State, command, now);
            State = decision.State;
            Journal.AddRange(decision.Events);
            foreach (var e in decision.Events)
            {
                if (_describer.Describe(e, scriptStep) is { } record)
                {
                    Records.Add(record);
                }
            }
        }
    }
}

/// <summary>Finds the open work item a script step means: by element id, else by name, else by SOP step.</summary>
public static class WorkItemSelector
{
    public static bool Matches(WorkItem item, string selector) =>
        string.Equals(item.ElementId, selector, StringComparison.Ordinal)
        || string.Equals(item.Name?.Trim(), selector.Trim(), StringComparison.OrdinalIgnoreCase)
        || string.Equals(item.Step, selector.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary><c>#7 Activity_0x9k2m1 'Verifikasi data nasabah' [Agent, step 2]</c>.</summary>
    public static string Describe(WorkItem item)
    {
        var name = item.Name is null ? string.Empty : $" '{item.Name}'";
        var step = item.Step is null ? string.Empty : $", step {item.Step}";
        return string.Create(CultureInfo.InvariantCulture, $"#{item.Id} {item.ElementId}{name} [{item.Lane ?? "no lane"}{step}]");
    }

    /// <exception cref="SimulationScriptException">No open work item matches, or more than one does.</exception>
    public static WorkItem Select(InstanceState state, string selector)
    {
        var items = state.WorkItems.ToList();
        var trimmed = selector.Trim();
        List<WorkItem>[] tiers =
        [
            items.Where(w => string.Equals(w.ElementId, trimmed, StringComparison.Ordinal)).ToList(),
            items.Where(w => string.Equals(w.Name?.Trim(), trimmed, StringComparison.OrdinalIgnoreCase)).ToList(),
            items.Where(w => string.Equals(w.Step, trimmed, StringComparison.OrdinalIgnoreCase)).ToList(),
        ];
        var open = items.Count == 0 ? "none" : string.Join("; ", items.Select(Describe));
        foreach (var tier in tiers)
        {
            if (tier.Count == 1)
            {
                return tier[0];
            }

            if (tier.Count > 1)
            {
                throw new SimulationScriptException($"'{selector}' is ambiguous: it matches {string.Join("; ", tier.Select(Describe))}");
            }
        }

        throw new SimulationScriptException($"no open work item matches '{selector}' (by element id, name or SOP step); open: {open}");
    }
}

/// <summary>Turns journal events into printable records, remembering what earlier events said (work items, timers, scopes).</summary>
internal sealed class RecordDescriber(WorkflowEngine engine, DateTimeOffset start)
{
    private readonly Dictionary<long, string> _scopeKeys = [];
    private readonly Dictionary<long, long> _tokenScopes = [];
    private readonly Dictionary<long, WorkItemCreated> _workItems = [];
    private readonly Dictionary<long, TimerScheduled> _timers = [];
    private readonly Dictionary<long, MessageSubscribed> _subscriptions = [];
    private string? _rootKey;
    private bool _afterCompletion;

    public SimulationRecord? Describe(WorkflowEvent e, int? scriptStep)
    {
        var afterCompletion = _afterCompletion;
        _afterCompletion = e is WorkItemCompleted;
        var offset = e.At - start;
        SimulationRecord Record(SimulationRecordKind kind, string? key, string? elementId, string? text, string? outcome = null, string? lane = null, string? step = null, string? name = null)
        {
            var node = key is not null && elementId is not null && engine.Definitions.TryGet(key, out var d, out _) ? d.Nodes.GetValueOrDefault(elementId) : null;
            return new SimulationRecord(offset, scriptStep, kind, key, elementId, name ?? node?.Name, lane ?? node?.Lane, step ?? node?.Step, outcome, text);
        }

        string? KeyOfToken(long tokenId) => _tokenScopes.TryGetValue(tokenId, out var scope) ? _scopeKeys.GetValueOrDefault(scope) : _rootKey;

        switch (e)
        {
            case InstanceStarted started:
                _rootKey = started.DefinitionKey;
                var title = engine.Definitions.TryGet(started.DefinitionKey, out var definition, out _) ? definition.Name : null;
                var vars = started.Variables.Count == 0 ? string.Empty : "; " + string.Join(", ", started.Variables.Select(v => $"{v.Key}={v.Value.Describe()}"));
                return new SimulationRecord(offset, scriptStep, SimulationRecordKind.Started, started.DefinitionKey, null, title, null, null, null, $"{title ?? started.DefinitionKey} v{started.DefinitionVersion}{vars}");
            case ScopeStarted scope:
                _scopeKeys[scope.ScopeId] = scope.DefinitionKey;
                if (scope.ParentScopeId is { } parent && scope.SubProcessId is null && scope.OwnerTokenId is { } owner)
                {
                    var callerKey = _scopeKeys.GetValueOrDefault(parent);
                    var callElement = _tokenScopes.ContainsKey(owner) ? LastElement(owner) : null;
                    var calledName = engine.Definitions.TryGet(scope.DefinitionKey, out var called, out _) ? called.Name : null;
                    return Record(SimulationRecordKind.CalledFlow, callerKey, callElement, calledName is null ? scope.DefinitionKey : $"{scope.DefinitionKey} ({calledName})");
                }

                return null;
            case ElementEntered entered:
                _tokenScopes[entered.TokenId] = entered.ScopeId;
                _lastElement[entered.TokenId] = entered.ElementId;
                _lastTokenAt[entered.ElementId] = entered.TokenId;
                var enteredKey = _scopeKeys.GetValueOrDefault(entered.ScopeId);
                if (enteredKey is not null && engine.Definitions.TryGet(enteredKey, out var enteredDefinition, out _)
                    && enteredDefinition.Nodes.GetValueOrDefault(entered.ElementId) is { Step: not null } steppedNode
                    && steppedNode is not Model.TaskNode && steppedNode is not Model.ExclusiveGateway { IsDecidedByAgent: true })
                {
                    return Record(SimulationRecordKind.StepReached, enteredKey, entered.ElementId, null);
                }

                return null;
            case WorkItemCreated created:
                _workItems[created.WorkItemId] = created;
                var details = new List<string>();
                if (created.Script is not null)
                {
                    details.Add($"\"{created.Script}\"");
                }

                if (created.Outcomes.Length > 0)
                {
                    details.Add("choose " + string.Join(" / ", created.Outcomes));
                }

                if (created.Fields.Length > 0)
                {
                    details.Add("fields " + string.Join(", ", created.Fields));
                }

                return Record(SimulationRecordKind.WorkItemOpened, KeyOfToken(created.TokenId), created.ElementId, details.Count == 0 ? null : string.Join("; ", details), lane: created.Lane, step: created.Step, name: created.Name);
            case WorkItemCompleted completed:
                var item = _workItems.GetValueOrDefault(completed.WorkItemId);
                var data = completed.Data.Count == 0 ? null : string.Join(", ", completed.Data.Select(v => $"{v.Key}={v.Value.Describe()}"));
                var by = completed.Actor is null ? null : $"by {completed.Actor}";
                return Record(SimulationRecordKind.WorkItemCompleted, item is null ? null : KeyOfToken(item.TokenId), item?.ElementId, Join(by, data), completed.Outcome, item?.Lane, item?.Step, item?.Name);
            case WorkItemCancelled cancelled:
                var cancelledItem = _workItems.GetValueOrDefault(cancelled.WorkItemId);
                return Record(SimulationRecordKind.WorkItemCancelled, cancelledItem is null ? null : KeyOfToken(cancelledItem.TokenId), cancelledItem?.ElementId, null, lane: cancelledItem?.Lane, step: cancelledItem?.Step, name: cancelledItem?.Name);
            case TimerScheduled scheduled:
                _timers[scheduled.TimerId] = scheduled;
                return null;
            case TimerFired fired:
                var timer = _timers.GetValueOrDefault(fired.TimerId);
                return Record(SimulationRecordKind.TimerFired, timer is null ? null : KeyOfToken(timer.TokenId), timer?.ElementId, null);
            case MessageSubscribed subscribed:
                _subscriptions[subscribed.SubscriptionId] = subscribed;
                return null;
            case MessageReceived received:
                var subscription = received.SubscriptionId is { } id ? _subscriptions.GetValueOrDefault(id) : null;
                var text = $"\"{received.Text}\"" + (subscription is null ? " (nothing was waiting for it: recorded only)" : string.Empty);
                return Record(SimulationRecordKind.CustomerMessage, subscription is null ? null : KeyOfToken(subscription.TokenId), subscription?.ElementId, text);
            case PromptSent prompt:
                return Record(SimulationRecordKind.Prompt, KeyOfToken(prompt.TokenId), prompt.ElementId, $"\"{prompt.Text}\"", step: prompt.Step);
            case ServiceInvoked service:
                var serviceData = service.Data.Count == 0 ? null : string.Join(", ", service.Data.Select(v => $"{v.Key}={v.Value.Describe()}"));
                return Record(SimulationRecordKind.ServiceInvoked, KeyOfToken(service.TokenId), service.ElementId, Join(service.ServiceKind, serviceData));
            case VariablesSet set when !afterCompletion:
                var key = KeyOfElement(set.ElementId);
                return Record(SimulationRecordKind.VariablesSet, key, set.ElementId, string.Join(", ", set.Values.Select(v => $"{v.Key}={v.Value.Describe()}")));
            case InstanceCompleted:
                return new SimulationRecord(offset, scriptStep, SimulationRecordKind.InstanceCompleted, _rootKey, null, null, null, null, null, "completed");
            case InstanceCancelled instanceCancelled:
                return new SimulationRecord(offset, scriptStep, SimulationRecordKind.InstanceCancelled, _rootKey, null, null, null, null, null, $"cancelled: {instanceCancelled.Reason}");
            case InstanceFaulted faulted:
                return new SimulationRecord(offset, scriptStep, SimulationRecordKind.InstanceFaulted, _rootKey, faulted.ElementId, null, null, null, null, $"faulted: {faulted.Reason}");
            default:
                return null;
        }
    }

    private readonly Dictionary<long, string> _lastElement = [];
    private readonly Dictionary<string, long> _lastTokenAt = new(StringComparer.Ordinal);

    private string? LastElement(long tokenId) => _lastElement.GetValueOrDefault(tokenId);

    /// <summary>The definition of the most recent token that entered the element (assignments name only the element).</summary>
    private string? KeyOfElement(string elementId)
    {
        return _lastTokenAt.TryGetValue(elementId, out var token) && _tokenScopes.TryGetValue(token, out var scope)
            ? _scopeKeys.GetValueOrDefault(scope) ?? _rootKey
            : _rootKey;
    }

    private static string? Join(string? a, string? b) => (a, b) switch
    {
        (null, null) => null,
        (null, _) => b,
        (_, null) => a,
        _ => $"{a}; {b}",
    };
}

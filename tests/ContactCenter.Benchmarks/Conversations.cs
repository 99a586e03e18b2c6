using ContactCenter.Engine;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;

namespace ContactCenter.Benchmarks;

/// <summary>A recorded conversation: the commands, with their times, that drive one flow to its end.</summary>
internal sealed record Conversation(string Key, IReadOnlyList<(WorkflowCommand Command, DateTimeOffset At)> Commands, int Transitions, int Events);

internal static class Conversations
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(7));

    public static DefinitionSet LoadWorkflows()
    {
        var folder = Path.Combine(RepoRoot(), "workflows");
        var set = new DefinitionSet();
        foreach (var file in Directory.GetFiles(folder, "*.bpmn").Order(StringComparer.Ordinal))
        {
            var parsed = BpmnParser.Parse(File.ReadAllText(file), Path.GetFileName(file));
            if (!parsed.IsValid)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, parsed.Problems));
            }

            set.Add(parsed.Definition!);
        }

        return set;
    }

    /// <summary>
    /// Records the happy path of a flow: the agent completes every work item (declining the
    /// optional branches), the customer answers every wait, and any other timer is fired.
    /// </summary>
    public static Conversation Record(WorkflowEngine engine, string key)
    {
        var commands = new List<(WorkflowCommand, DateTimeOffset)>();
        var state = InstanceState.Empty;
        var at = Start;
        var transitions = 0;
        var events = 0;
        WorkflowCommand command = new StartInstance(key, new Dictionary<string, Value>
        {
            ["salamPenutup"] = "Selamat beraktifitas",
            ["namaAgent"] = "Rina",
        }) { Actor = "agent" };
        for (var i = 0; i < 500; i++)
        {
            var decision = engine.Decide(state, command, at);
            commands.Add((command, at));
            transitions += decision.Events.Count(e => e is ElementEntered);
            events += decision.Events.Count;
            state = decision.State;
            if (!state.IsRunning)
            {
                return new Conversation(key, commands, transitions, events);
            }

            at = at.AddSeconds(5);
            command = Next(state) ?? throw new InvalidOperationException($"{key}: nothing to do at {state.Tokens[0].ElementId}");
        }

        throw new InvalidOperationException($"{key}: the conversation did not end within 500 commands");
    }

    private static WorkflowCommand? Next(InstanceState state)
    {
        if (state.WorkItems.Count > 0)
        {
            var item = state.WorkItems[0];
            var outcome = item.Outcomes.IsDefaultOrEmpty ? null : Prefer(item.Outcomes);
            var data = item.Fields.ToDictionary(f => f, _ => (Value)"contoh");
            return new CompleteWorkItem(item.Id, outcome, data) { Actor = "agent" };
        }

        if (state.Subscriptions.Count > 0)
        {
            return new DeliverMessage(state.Subscriptions[0].MessageName, "Masih, terima kasih") { Actor = "customer" };
        }

        return state.NextTimer() is { } timer ? new FireTimer(timer.Id) : null;
    }

    /// <summary>"Tidak" declines every optional branch; other gateways take their first outcome.</summary>
    private static string Prefer(IReadOnlyList<string> outcomes) =>
        outcomes.FirstOrDefault(o => o.Equals("Tidak", StringComparison.OrdinalIgnoreCase)) ?? outcomes[0];

    /// <summary>Replays the recorded commands from scratch; returns the transitions made.</summary>
    public static int Run(WorkflowEngine engine, Conversation conversation)
    {
        var state = InstanceState.Empty;
        var transitions = 0;
        foreach (var (command, at) in conversation.Commands)
        {
            var decision = engine.Decide(state, command, at);
            state = decision.State;
            transitions += decision.Events.Count;
        }

        return transitions;
    }

    public static string RepoRoot() => RepoPaths.Root;
}

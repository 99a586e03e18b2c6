using System.Globalization;
using System.Text;

namespace ContactCenter.Engine.Simulation;

/// <summary>Plain-text rendering of a simulation, the same for the CLI, tests and docs.</summary>
public static class SimulationReport
{
    private static readonly string[] Header = ["time", "step", "what", "lane", "sop", "element", "detail"];

    /// <summary>The label of a record kind in the <c>what</c> column.</summary>
    public static string Label(SimulationRecordKind kind) => kind switch
    {
        SimulationRecordKind.Started => "started",
        SimulationRecordKind.WorkItemOpened => "opened",
        SimulationRecordKind.WorkItemCompleted => "completed",
        SimulationRecordKind.WorkItemCancelled => "withdrawn",
        SimulationRecordKind.CalledFlow => "calls",
        SimulationRecordKind.TimerFired => "timer",
        SimulationRecordKind.CustomerMessage => "customer",
        SimulationRecordKind.Prompt => "prompt",
        SimulationRecordKind.ServiceInvoked => "service",
        SimulationRecordKind.VariablesSet => "set",
        SimulationRecordKind.StepReached => "reached",
        SimulationRecordKind.InstanceCompleted => "ended",
        SimulationRecordKind.InstanceCancelled => "ended",
        _ => "ended",
    };

    /// <summary>One row per record: time, script step (<c>timer</c> when a timer caused it), what, lane, SOP step, element, detail.</summary>
    public static IReadOnlyList<string[]> Rows(SimulationResult result)
    {
        var rootKey = result.Script.Workflow;
        var rows = new List<string[]>();
        foreach (var r in result.Records)
        {
            var element = r.ElementId is null ? "-" : r.DefinitionKey is { } key && !string.Equals(key, rootKey, StringComparison.Ordinal) ? $"{key}:{r.ElementId}" : r.ElementId;
            var detail = new StringBuilder();
            if (r.Kind != SimulationRecordKind.Started && r.ElementName is { } name)
            {
                detail.Append(name);
            }

            if (r.Outcome is { } outcome)
            {
                detail.Append(" → ").Append(outcome);
            }

            if (r.Text is { } text)
            {
                detail.Append(detail.Length == 0 ? string.Empty : ": ").Append(text);
            }

            rows.Add(
            [
                TimeOffset.Format(r.Offset),
                r.ScriptStep switch { null => "timer", 0 => "start", { } n => n.ToString(CultureInfo.InvariantCulture) },
                Label(r.Kind),
                r.Lane ?? "-",
                r.SopStep ?? "-",
                element,
                detail.ToString(),
            ]);
        }

        return rows;
    }

    /// <summary>The table, the expectations and the verdict, as printed by <c>contactcenter simulate</c>.</summary>
    public static string Format(SimulationResult result)
    {
        var sb = new StringBuilder();
        var script = result.Script;
        sb.Append(CultureInfo.InvariantCulture, $"{script.Title ?? "simulation"}: {script.Workflow} from {script.Start:yyyy-MM-dd HH:mm:ss zzz}").Append('\n');
        var rows = Rows(result);
        var widths = new int[Header.Length];
        foreach (var row in rows.Prepend(Header))
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows.Prepend(Header))
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }

        foreach (var e in result.Expectations)
        {
            sb.Append(e.Passed ? "expect ok    " : "expect FAIL  ").Append(e.Name).Append(": ").Append(e.Detail).Append('\n');
        }

        if (result.Error is { } error)
        {
            sb.Append("error: ").Append(error).Append('\n');
        }

        var state = result.State;
        var ended = state.EndedAt is { } at ? $" at {TimeOffset.Format(at - script.Start)}" : string.Empty;
        var open = state.WorkItems.Count == 0 ? string.Empty : $", open work items: {string.Join("; ", state.WorkItems.Select(WorkItemSelector.Describe))}";
        var pending = state.NextTimer() is { } next ? $", next timer at {TimeOffset.Format(next.DueAt - script.Start)}" : string.Empty;
        sb.Append(CultureInfo.InvariantCulture, $"result: {(result.Succeeded ? "PASS" : "FAIL")}; instance {state.Status}{ended}; {result.Journal.Count} events{open}{pending}").Append('\n');
        return sb.ToString();
    }
}

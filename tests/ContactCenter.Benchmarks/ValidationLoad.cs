using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContactCenter.Engine.Parsing;

namespace ContactCenter.Benchmarks;

/// <summary>
/// Parse-and-validate time of hostile-but-legal definitions growing in size: a straight chain of
/// user tasks (the shape issue 16 timed at 0.7 s for 2k nodes, 47 s for 20k) and a chain of service
/// tasks (pass-through nodes, which the busy-loop check walks). Linear validation keeps the time
/// per node flat as the chain grows.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/ContactCenter.Benchmarks -- --validate [--nodes 2000,10000,20000] [--runs 3]</c>
/// </remarks>
internal static class ValidationLoad
{
    public static int Run(string[] args)
    {
        var sizes = (LoadArgs.After(args, "--nodes") ?? "2000,10000,20000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            .ToList();
        var runs = LoadArgs.Int(args, "--runs", 3);
        Console.WriteLine("shape          nodes   characters   best ms   µs/node  problems");
        foreach (var kind in (string[])["userTask", "serviceTask"])
        {
            foreach (var nodes in sizes)
            {
                var xml = Chain(nodes, kind);
                var best = TimeSpan.MaxValue;
                var problems = 0;
                for (var run = 0; run < runs; run++)
                {
                    var clock = Stopwatch.StartNew();
                    var result = BpmnParser.Parse(xml, "chain.bpmn");
                    clock.Stop();
                    problems = result.Problems.Count;
                    best = clock.Elapsed < best ? clock.Elapsed : best;
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind + " chain",-12} {nodes,8} {xml.Length,12:N0} {best.TotalMilliseconds,9:N0} {best.TotalMilliseconds * 1000 / nodes,9:N1} {problems,9}"));
            }
        }

        return 0;
    }

    /// <summary>Start → n tasks → end, every task in one Agent lane, flows written after the nodes.</summary>
    public static string Chain(int nodes, string taskElement)
    {
        var extra = taskElement == "serviceTask" ? " cc:serviceKind=\"log\"" : string.Empty;
        var sb = new StringBuilder();
        sb.Append("""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="Defs">
              <bpmn:process id="chain" name="Chain" isExecutable="true">
                <bpmn:laneSet id="LaneSet"><bpmn:lane id="Lane_Agent" name="Agent">

            """);
        for (var i = 0; i < nodes; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"      <bpmn:flowNodeRef>T{i}</bpmn:flowNodeRef>\n");
        }

        sb.Append("    </bpmn:lane></bpmn:laneSet>\n    <bpmn:startEvent id=\"S\" />\n");
        for (var i = 0; i < nodes; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    <bpmn:{taskElement} id=\"T{i}\" name=\"Langkah {i}\"{extra} />\n");
        }

        sb.Append("    <bpmn:endEvent id=\"E\" />\n");
        for (var i = 0; i <= nodes; i++)
        {
            var source = i == 0 ? "S" : $"T{i - 1}";
            var target = i == nodes ? "E" : $"T{i}";
            sb.Append(CultureInfo.InvariantCulture, $"    <bpmn:sequenceFlow id=\"F{i}\" sourceRef=\"{source}\" targetRef=\"{target}\" />\n");
        }

        sb.Append("  </bpmn:process>\n</bpmn:definitions>\n");
        return sb.ToString();
    }
}

using System.Text;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Simulation;
using ContactCenter.Engine.Tests.Support;
using Xunit;

namespace ContactCenter.Engine.Tests.Samples;

/// <summary>The committed workflows and the conversation samples under samples/conversations/.</summary>
internal static class SampleCatalog
{
    private static readonly Lazy<WorkflowEngine> LazyEngine = new(LoadEngine);

    public static string SamplesRoot => Path.Combine(RepoPaths.Root, "samples", "conversations");

    public static string GoldenRoot => Path.Combine(RepoPaths.Root, "tests", "ContactCenter.Engine.Tests", "Samples", "golden");

    /// <summary>An engine over every workflows/*.bpmn, each of which must be valid, checked together.</summary>
    public static WorkflowEngine Engine => LazyEngine.Value;

    /// <summary>Golden files are rewritten only when UPDATE_GOLDEN=1 is set, never silently.</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    /// <summary>"live-chat/silence-closes-chat" for every sample, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(SamplesRoot, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SamplesRoot, f).Replace('\\', '/')[..^".json".Length])
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names())
        {
            data.Add(name);
        }

        return data;
    }

    public static SimulationScript Script(string name) =>
        SimulationScript.Parse(File.ReadAllText(Path.Combine(SamplesRoot, name + ".json"), Encoding.UTF8), name + ".json");

    public static string GoldenPath(string name) => Path.Combine(GoldenRoot, name + ".journal.json");

    public static SimulationResult Run(string name) => new Simulator(Engine).Run(Script(name));

    private static WorkflowEngine LoadEngine()
    {
        var definitions = Directory.EnumerateFiles(RepoPaths.Workflows, "*.bpmn").Order(StringComparer.Ordinal).Select(path =>
        {
            var parsed = BpmnParser.Parse(File.ReadAllText(path, Encoding.UTF8), Path.GetFileName(path));
            return parsed.IsValid ? parsed.Definition! : throw new InvalidOperationException($"{path} is not valid:\n{string.Join("\n", parsed.Problems)}");
        }).ToList();
        var problems = DefinitionValidator.ValidateSet(definitions);
        return problems.Count == 0
            ? new WorkflowEngine(new DefinitionSet(definitions))
            : throw new InvalidOperationException(string.Join("\n", problems));
    }
}

using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Parsing;
using ContactCenter.Modules.Greetings;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Tests.Calendar;

namespace ContactCenter.Runtime.Tests.Quality;

/// <summary>The committed workflows and the engine tests' golden journals, and hand edits of them for failing histories.</summary>
internal static class Goldens
{
    private static readonly Lazy<DefinitionSet> LazyDefinitions = new(() => new DefinitionSet(
        Directory.EnumerateFiles(RuntimeData.Workflows, "*.bpmn").Order(StringComparer.Ordinal).Select(path =>
        {
            var parsed = BpmnParser.Parse(File.ReadAllText(path, Encoding.UTF8), Path.GetFileName(path));
            return parsed.IsValid ? parsed.Definition! : throw new InvalidOperationException($"{path} is not valid");
        })));

    public static DefinitionSet Definitions => LazyDefinitions.Value;

    public static string Root => Path.Combine(RuntimeData.Workflows, "..", "tests", "ContactCenter.Engine.Tests", "Samples", "golden");

    public static ScorecardEvaluator Evaluator(ScorecardOptions? options = null) => new(new Greeter(RuntimeData.Holidays), options);

    /// <summary>"whatsapp/happy-path" for every golden journal, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Root, "*.journal.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')[..^".journal.json".Length])
            .Order(StringComparer.Ordinal);

    public static string Json(string name) => File.ReadAllText(Path.Combine(Root, name + ".journal.json"), Encoding.UTF8);

    public static IReadOnlyList<WorkflowEvent> Journal(string name) => JournalSerializer.FromJsonArray(Json(name));

    /// <summary>The golden journal after <paramref name="edit"/> changed its JSON (a failing history by hand).</summary>
    public static IReadOnlyList<WorkflowEvent> Edited(string name, Action<JsonArray> edit)
    {
        var array = JsonNode.Parse(Json(name))!.AsArray();
        edit(array);
        var sequence = 1;
        foreach (var e in array)
        {
            e!["sequence"] = sequence++;
        }

        return JournalSerializer.FromJsonArray(array.ToJsonString());
    }

    public static Scorecard Score(string name, ScorecardOptions? options = null) => Evaluator(options).Evaluate(Journal(name), Definitions);

    public static Scorecard Score(IReadOnlyList<WorkflowEvent> journal, ScorecardOptions? options = null) => Evaluator(options).Evaluate(journal, Definitions);

    /// <summary>Events of <paramref name="type"/> (e.g. <c>prompt-sent@1</c>) matching <paramref name="where"/>.</summary>
    public static IEnumerable<JsonNode> Where(JsonArray array, string type, Func<JsonNode, bool>? where = null) =>
        array.Where(e => (string?)e!["type"] == type && (where is null || where(e!))).Select(e => e!);

    /// <summary>The work item id of the first work item created at <paramref name="elementId"/>.</summary>
    public static long WorkItemAt(JsonArray array, string elementId, int nth = 0) =>
        (long)Where(array, "work-item-created@1", e => (string?)e["elementId"] == elementId).ElementAt(nth)["workItemId"]!;

    /// <summary>Removes the work-item-completed of <paramref name="workItemId"/>.</summary>
    public static void RemoveCompletion(JsonArray array, long workItemId) =>
        array.Remove(Where(array, "work-item-completed@1", e => (long)e["workItemId"]! == workItemId).Single());

    /// <summary>Shifts every event's time from <paramref name="fromIndex"/> on by <paramref name="by"/>.</summary>
    public static void Shift(JsonArray array, int fromIndex, TimeSpan by)
    {
        for (var i = fromIndex; i < array.Count; i++)
        {
            var at = DateTimeOffset.Parse((string)array[i]!["at"]!, System.Globalization.CultureInfo.InvariantCulture);
            array[i]!["at"] = (at + by).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

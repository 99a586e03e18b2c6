using System.Text.RegularExpressions;

namespace ContactCenter.Tests;

/// <summary>
/// The repository's workflows as a process owner's redraw in bpmn-js leaves them: every element
/// id (tasks, gateways, events, flows, lanes, messages, diagram shapes) replaced by a random
/// bpmn-js-style id (<c>Activity_0x9k2m1</c>), every reference kept, nothing else changed. The
/// process ids stay: they are the definition keys that call activities and tickets name. Linked
/// into the server tests (API) and the web tests (the browser flows on the renamed flows).
/// </summary>
internal static partial class RenamedFlows
{
    /// <summary>Old id → new id, per definition key.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Maps { get; private set; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Writes the renamed copy of <c>workflows/</c> (calendar and SLA files as they are) to a new folder; its path.</summary>
    public static string Create()
    {
        var source = RepoPaths.Workflows;
        var target = Directory.CreateTempSubdirectory("cc-renamed-flows-").FullName;
        CopyFolder(Path.Combine(source, "calendar"), Path.Combine(target, "calendar"));
        foreach (var file in Directory.EnumerateFiles(source).Where(f => !f.EndsWith(".bpmn", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var random = new Random(20261207);
        var maps = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.bpmn").Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(file);
            var (text, map) = Rename(File.ReadAllText(file), key, random);
            maps[key] = map;
            File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
        }

        Maps = maps;
        return target;
    }

    /// <summary>The new id of <paramref name="elementId"/> in the flow <paramref name="key"/>.</summary>
    public static string Id(string key, string elementId) => Maps[key][elementId];

    private static (string Text, Dictionary<string, string> Map) Rename(string bpmn, string key, Random random)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);

        // Elements first, then their diagram shapes, which bpmn-js names after the element (X_di).
        foreach (Match tag in IdTag().Matches(bpmn))
        {
            var (type, id) = (tag.Groups["type"].Value, tag.Groups["id"].Value);
            if (id == key || map.ContainsKey(id) || type is "BPMNShape" or "BPMNEdge")
            {
                continue;
            }

            string fresh;
            do
            {
                fresh = $"{Prefix(type)}_{Suffix(random)}";
            }
            while (!used.Add(fresh));

            map[id] = fresh;
        }

        foreach (Match tag in IdTag().Matches(bpmn))
        {
            var (type, id) = (tag.Groups["type"].Value, tag.Groups["id"].Value);
            if (type is "BPMNShape" or "BPMNEdge" && !map.ContainsKey(id))
            {
                var element = BpmnElement().Match(tag.Value).Groups[1].Value;
                map[id] = (map.TryGetValue(element, out var renamed) ? renamed : element) + "_di";
            }
        }

        // Ids appear as attribute values ("Task_X", also in sourceRef, attachedToRef, bpmnElement, ...)
        // and as element text (<flowNodeRef>, <incoming>, <outgoing>).
        var text = Reference().Replace(bpmn, m => map.TryGetValue(m.Groups["id"].Value, out var fresh) ? $"{m.Groups["open"].Value}{fresh}{m.Groups["close"].Value}" : m.Value);
        return (text, map);
    }

    private static string Prefix(string type) => type switch
    {
        "userTask" or "manualTask" or "serviceTask" or "sendTask" or "receiveTask" or "subProcess" or "callActivity" => "Activity",
        "exclusiveGateway" or "parallelGateway" or "eventBasedGateway" => "Gateway",
        "startEvent" or "endEvent" or "intermediateCatchEvent" or "intermediateThrowEvent" or "boundaryEvent" => "Event",
        "sequenceFlow" => "Flow",
        _ => char.ToUpperInvariant(type[0]) + type[1..],
    };

    private static string Suffix(Random random)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        return string.Create(7, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    [GeneratedRegex("""<(?:\w+):(?<type>\w+)\b[^>]*?\sid="(?<id>[^"]+)"[^>]*>""")]
    private static partial Regex IdTag();

    [GeneratedRegex("bpmnElement=\"([^\"]+)\"")]
    private static partial Regex BpmnElement();

    [GeneratedRegex("""(?<open>["">])(?<id>[A-Za-z_][\w.-]*)(?<close>["<])""")]
    private static partial Regex Reference();
}

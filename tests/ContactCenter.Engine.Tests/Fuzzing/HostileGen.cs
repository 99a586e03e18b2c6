using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ContactCenter.Engine.Tests.Fuzzing;

/// <summary>
/// Generators of structured hostile input: expressions with deep nesting, long chains, huge
/// numbers and odd unicode; durations assembled from valid and invalid parts; BPMN documents
/// that are the shipped workflows with a few mutations each, or random process graphs.
/// </summary>
internal static class HostileGen
{
    /// <summary>Characters that break things: quotes, brackets, operators, controls, a surrogate half, RTL, non-ASCII digits.</summary>
    private static readonly string[] OddText =
    [
        "(", ")", "'", "\"", "=", "==", "<", ">=", "!", ";", "&", "<", "\0", "\u0001", "\u001b", "\r\n", "\t", " ",
        "\ud800", "\u202e", "\u0661", "\u00e9", "e\u0301", "\uFEFF", "\uFFFF", "𝟘", "ß", "İ", "-", ".", "..", "1e9", "0x1F",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "3", "1.5", "-0", "007", "99999999", "79228162514264337593543950335", "79228162514264337593543950336",
        "1.2.3", "0.00000000000000000000000000001", new string('9', 400), "-" + new string('9', 40), "1.", "-.",
    ];

    private static readonly string[] Names = ["kategori", "prioritas", "eskalasi", "kosong", "x", "_", "a1", "and", "or", "not", "true", "false", "null", "Kategori", "kat\u00e9gori"];

    private static readonly string[] Strings = ["'komplain'", "\"info\"", "''", "'a; b'", "'unclosed", "\"", "'Selamat pagi 🙏'", "'\u202egnaloh'", "'" + new string('x', 5_000) + "'"];

    /// <summary>Around the nesting limit of 64, and far past it.</summary>
    private static readonly int[] Depths = [63, 64, 65, 100, 10_000];

    private static readonly string[] Operators = [" and ", " or ", " == ", " != ", " < ", " <= ", " > ", " >= ", " = ", " ", "", " ! ", " && "];

    public static Gen<string> Atom { get; } = Gen.OneOf(Gen.Elements(Numbers), Gen.Elements(Names), Gen.Elements(Strings));

    /// <summary>A condition or assignment text: mostly grammatical, sometimes deep, long or corrupted.</summary>
    public static Gen<string> Expression { get; } = Gen.Sized(size => Gen.Frequency(
        (8, Tree(Math.Min(size, 12))),
        (1, from depth in Gen.Elements(Depths) from inner in Tree(2) select new string('(', depth) + inner + new string(')', depth)),
        (1, from count in Gen.Elements(Depths) select string.Concat(Enumerable.Repeat("not ", count)) + "true"),
        (1, from count in Gen.Choose(100, 50_000) from op in Gen.Elements(" and ", " or ") from atom in Atom select string.Join(op, Enumerable.Repeat(atom, count))),
        (3, from text in Tree(4) from edits in Gen.ListOf(Edit, 3) select edits.Aggregate(text, (t, edit) => edit(t)))));

    /// <summary>Inserts odd text at, or deletes from, a position chosen relative to the length.</summary>
    private static Gen<Func<string, string>> Edit { get; } =
        from at in Gen.Choose(0, 1000)
        from odd in Gen.Elements(OddText)
        from delete in Gen.Elements(true, false)
        select (Func<string, string>)(text =>
        {
            var position = text.Length == 0 ? 0 : at * text.Length / 1000;
            return delete && position < text.Length ? text.Remove(position, 1) : text.Insert(position, odd);
        });

    private static Gen<string> Tree(int depth) => depth <= 0
        ? Atom
        : Gen.Frequency(
            (3, Atom),
            (2, Tree(depth - 1).Select(e => "(" + e + ")")),
            (3, from a in Tree(depth / 2) from op in Gen.Elements(Operators) from b in Tree(depth / 2) select a + op + b),
            (1, Tree(depth - 1).Select(e => "not " + e)));

    /// <summary>An assignment list: statements of name = expression, with odd separators.</summary>
    public static Gen<string> Assignments { get; } =
        from statements in Gen.ListOf(from name in Gen.Elements(Names) from eq in Gen.Elements(" = ", "=", " == ", " ", "= =") from value in Expression select name + eq + value)
        from separator in Gen.Elements("; ", ";", ";;", "\n", " ")
        select string.Join(separator, statements);

    private static readonly string[] DurationNumbers =
    [
        "0", "1", "7", "59", "60", "52", "53", "366", "367", "8784", "8785", "527040", "99999999", "999999999999", "9999999999999",
        "000000000000001", "1.5", "0.5", "0.0000001", "0.123456789012", "\u0661", "-1", "", "+1", "1e3", "1,5",
    ];

    /// <summary>A duration from valid and invalid parts in any order, or a valid one with its expected span.</summary>
    public static Gen<(string Text, TimeSpan? Expected)> Duration { get; } = Gen.Frequency(
        (1, from prefix in Gen.Elements("P", "PT", "", "p", "P-", " P", "R3/P")
            from parts in Gen.ListOf(from n in Gen.Elements(DurationNumbers) from unit in Gen.Elements("W", "D", "T", "H", "M", "S", "Y", "m", "", ".") select n + unit)
            select (prefix + string.Concat(parts), (TimeSpan?)null)),
        (1, from days in Gen.Choose(0, 400)
            from hours in Gen.Choose(0, 9_000)
            from minutes in Gen.Choose(0, 600)
            from seconds in Gen.Choose(0, 100_000)
            from mask in Gen.Choose(1, 15)
            select ValidDuration(days, hours, minutes, seconds, mask)));

    private static (string, TimeSpan?) ValidDuration(int days, int hours, int minutes, int seconds, int mask)
    {
        var text = new StringBuilder("P");
        var span = TimeSpan.Zero;
        if ((mask & 1) != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{days}D");
            span += TimeSpan.FromDays(days);
        }

        if ((mask & 14) != 0)
        {
            text.Append('T');
        }

        if ((mask & 2) != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}H");
            span += TimeSpan.FromHours(hours);
        }

        if ((mask & 4) != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes}M");
            span += TimeSpan.FromMinutes(minutes);
        }

        if ((mask & 8) != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds}S");
            span += TimeSpan.FromSeconds(seconds);
        }

        return (text.ToString(), span <= TimeSpan.FromDays(366) ? span : null);
    }

    private static readonly Lazy<string[][]> WorkflowLines = new(() =>
        [.. Directory.EnumerateFiles(RepoPaths.Workflows, "*.bpmn").Order(StringComparer.Ordinal).Select(f => File.ReadAllLines(f))]);

    private static readonly string[] ElementNames =
    [
        "bpmn:task", "bpmn:userTask", "bpmn:serviceTask", "bpmn:subProcess", "bpmn:exclusiveGateway", "bpmn:parallelGateway",
        "bpmn:eventBasedGateway", "bpmn:boundaryEvent", "bpmn:intermediateCatchEvent", "bpmn:intermediateThrowEvent", "bpmn:endEvent",
        "bpmn:startEvent", "bpmn:callActivity", "bpmn:laneSet", "bpmn:lane", "bpmn:childLaneSet", "bpmn:process", "bpmn:extensionElements", "x:y",
    ];

    private static readonly string[] AttributeValues =
    [
        "", " ", "S", "Task_SalamPembuka", "Flow_1", "P99999999DT99999999H", "PT0S", "true", "false", "\u202e", "&amp;&lt;", "&#0;", "&#x10FFFF;",
        "Gateway_PerluTiket", "Msg_customer", "a = 1; b = ", "createTicket", new string('(', 200) + "1", new string('x', 10_000), "-1", "99999999999999999999",
    ];

    /// <summary>A shipped workflow with one to six mutations: lines deleted, duplicated, swapped, truncated; names, values, content replaced.</summary>
    public static Gen<string> MutatedWorkflow { get; } =
        from file in Gen.Choose(0, 7)
        from mutations in Gen.ListOf(Mutation, 6)
        from count in Gen.Choose(1, 6)
        select Mutate(WorkflowLines.Value[file % WorkflowLines.Value.Length], mutations.Take(count));

    private static string Mutate(string[] original, IEnumerable<Func<List<string>, List<string>>> mutations)
    {
        var lines = original.ToList();
        foreach (var mutation in mutations)
        {
            lines = mutation(lines);
        }

        return string.Join('\n', lines);
    }

    private static Gen<Func<List<string>, List<string>>> Mutation { get; } =
        from kind in Gen.Choose(0, 11)
        from a in Gen.Choose(0, 10_000)
        from b in Gen.Choose(0, 10_000)
        from element in Gen.Elements(ElementNames)
        from value in Gen.Elements(AttributeValues)
        from expression in Expression
        from duration in Duration
        from depth in Gen.Elements(3, 63, 64, 65, 200)
        select (Func<List<string>, List<string>>)(lines =>
        {
            if (lines.Count == 0)
            {
                return lines;
            }

            var i = a % lines.Count;
            var j = b % lines.Count;
            switch (kind)
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, lines[j]);
                    break;
                case 2:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3:
                    // Truncate the document mid-line.
                    lines = lines.Take(i + 1).ToList();
                    lines[^1] = lines[^1][..(lines[^1].Length * (b % 100) / 100)];
                    break;
                case 4:
                    lines[i] = ReplaceElementName(lines[i], element);
                    break;
                case 5:
                    lines[i] = ReplaceAttributeValue(lines[i], value, b);
                    break;
                case 6:
                    lines[i] = ReplaceContent(lines[i], "conditionExpression", System.Security.SecurityElement.Escape(expression));
                    break;
                case 7:
                    lines[i] = ReplaceContent(lines[i], "timeDuration", duration.Text);
                    break;
                case 8:
                    lines.Insert(i, string.Concat(Enumerable.Repeat("<bpmn:subProcess id=\"N" + b + "\">", depth)) + string.Concat(Enumerable.Repeat("</bpmn:subProcess>", depth)));
                    break;
                case 9:
                    lines[i] = lines[i].Insert(lines[i].Length * (b % 100) / 100, OddText[b % OddText.Length]);
                    break;
                case 10:
                    lines[i] = lines[i].Replace(" id=\"", $" cc:assign=\"{System.Security.SecurityElement.Escape(expression)}\" id=\"", StringComparison.Ordinal);
                    break;
                default:
                    lines.Insert(Math.Min(1, lines.Count), b % 2 == 0 ? "<!DOCTYPE d [ <!ENTITY e \"x\"> ]>" : "<!-- " + new string('-', b % 3) + " -->");
                    break;
            }

            return lines;
        });

    private static string ReplaceElementName(string line, string name)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        if (open < 0 || open + 1 >= line.Length)
        {
            return line;
        }

        var start = line[open + 1] == '/' ? open + 2 : open + 1;
        var end = start;
        while (end < line.Length && line[end] is not (' ' or '>' or '/'))
        {
            end++;
        }

        return string.Concat(line.AsSpan(0, start), name, line.AsSpan(end));
    }

    private static string ReplaceAttributeValue(string line, string value, int which)
    {
        var quotes = new List<int>();
        for (var k = 0; k < line.Length; k++)
        {
            if (line[k] == '"')
            {
                quotes.Add(k);
            }
        }

        if (quotes.Count < 2)
        {
            return line;
        }

        var pair = which % (quotes.Count / 2);
        var (from, to) = (quotes[2 * pair], quotes[(2 * pair) + 1]);
        return string.Concat(line.AsSpan(0, from + 1), System.Security.SecurityElement.Escape(value), line.AsSpan(to));
    }

    private static string ReplaceContent(string line, string element, string content)
    {
        var open = line.IndexOf(element + ">", StringComparison.Ordinal);
        var close = line.IndexOf("</", open + 1 > 0 ? open + 1 : 0, StringComparison.Ordinal);
        return open < 0 || close < 0 ? line : string.Concat(line.AsSpan(0, open + element.Length + 1), content, line.AsSpan(close));
    }

    private static readonly string[] NodeElements =
    [
        "userTask", "manualTask", "serviceTask cc:serviceKind=\"log\"", "serviceTask", "sendTask", "receiveTask messageRef=\"Msg_customer\"",
        "exclusiveGateway", "parallelGateway", "eventBasedGateway", "endEvent", "intermediateThrowEvent", "callActivity calledElement=\"p\"",
    ];

    /// <summary>A random process graph: nodes of every kind, flows between random pairs, timers, links, lanes, sub-processes.</summary>
    public static Gen<string> RandomProcess { get; } = Gen.Sized(size =>
        from nodeCount in Gen.Choose(1, 2 + (size * 4))
        from kinds in Gen.ListOf(Gen.Choose(0, NodeElements.Length + 3), nodeCount)
        from flows in Gen.ListOf(from s in Gen.Choose(0, nodeCount) from t in Gen.Choose(0, nodeCount) from c in Gen.Frequency((4, Gen.Constant<string?>(null)), (1, Tree(4).Select(e => (string?)e))) select (s, t, c))
        from names in Gen.ListOf(Gen.Elements<string?>(null, "Ya", "Tidak", "Ya", ""), nodeCount + 1)
        from laneCut in Gen.Choose(0, nodeCount)
        select Process(kinds, flows, names, laneCut));

    private static string Process(List<int> kinds, IEnumerable<(int Source, int Target, string? Condition)> flows, List<string?> names, int laneCut)
    {
        string Id(int i) => i == 0 ? "S" : $"N{i}";
        var body = new StringBuilder("<bpmn:startEvent id=\"S\" />\n");
        for (var i = 1; i <= kinds.Count; i++)
        {
            var kind = kinds[i - 1];
            var name = names[i] is { } n ? $" name=\"{n}\"" : string.Empty;
            body.Append(kind switch
            {
                _ when kind < NodeElements.Length && NodeElements[kind].StartsWith("intermediateThrowEvent", StringComparison.Ordinal) =>
                    $"<bpmn:intermediateThrowEvent id=\"{Id(i)}\"{name}><bpmn:linkEventDefinition name=\"L{i % 3}\" /></bpmn:intermediateThrowEvent>\n",
                _ when kind < NodeElements.Length => $"<bpmn:{NodeElements[kind]} id=\"{Id(i)}\"{name} />\n",
                var k when k == NodeElements.Length => $"<bpmn:intermediateCatchEvent id=\"{Id(i)}\">{Support.Bpmn.Timer(i % 2 == 0 ? "PT1M" : "P400D")}</bpmn:intermediateCatchEvent>\n",
                var k when k == NodeElements.Length + 1 => $"<bpmn:intermediateCatchEvent id=\"{Id(i)}\"><bpmn:linkEventDefinition name=\"L{i % 3}\" /></bpmn:intermediateCatchEvent>\n",
                var k when k == NodeElements.Length + 2 => $"<bpmn:boundaryEvent id=\"{Id(i)}\" attachedToRef=\"{Id(i - 1)}\">{Support.Bpmn.Timer("PT5M")}</bpmn:boundaryEvent>\n",
                _ => $"<bpmn:subProcess id=\"{Id(i)}\"><bpmn:startEvent id=\"{Id(i)}_s\" /><bpmn:sequenceFlow id=\"{Id(i)}_f\" sourceRef=\"{Id(i)}_s\" targetRef=\"{Id(i)}_e\" /><bpmn:endEvent id=\"{Id(i)}_e\" /></bpmn:subProcess>\n",
            });
        }

        var f = 0;
        foreach (var (source, target, condition) in flows)
        {
            var expression = condition is null ? null : System.Security.SecurityElement.Escape(condition);
            body.Append(Support.Bpmn.Flow(Id(source % (kinds.Count + 1)), Id(target % (kinds.Count + 1)), name: names[f % names.Count], condition: expression, id: $"F{f++}")).Append('\n');
        }

        var lane = string.Concat(Enumerable.Range(1, Math.Min(laneCut, kinds.Count)).Select(i => $"<bpmn:flowNodeRef>{Id(i)}</bpmn:flowNodeRef>"));
        return Support.Bpmn.Process(body.ToString(), lanes: false).Replace(
            "isExecutable=\"true\">",
            $"isExecutable=\"true\">\n<bpmn:laneSet id=\"LS\"><bpmn:lane id=\"Lane_Agent\" name=\"Agent\">{lane}</bpmn:lane></bpmn:laneSet>",
            StringComparison.Ordinal);
    }
}

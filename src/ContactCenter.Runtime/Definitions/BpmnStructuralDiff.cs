using System.Xml;
using System.Xml.Linq;

namespace ContactCenter.Runtime.Definitions;

/// <summary>One attribute or nested setting of an element that differs between two versions.</summary>
public sealed record DiffChange(string Name, string? From, string? To);

/// <summary>An element or flow that exists in both versions but differs.</summary>
public sealed record ChangedElement(string Id, string Kind, string? Name, IReadOnlyList<DiffChange> Changes);

/// <summary>An element or flow present in only one version.</summary>
public sealed record DiffElement(string Id, string Kind, string? Name);

public sealed record DiffSection(IReadOnlyList<DiffElement> Added, IReadOnlyList<DiffElement> Removed, IReadOnlyList<ChangedElement> Changed);

/// <summary>The structural difference of two BPMN versions, by element id; diagram layout is only flagged.</summary>
public sealed record DefinitionDiff(string Key, int From, int To, DiffSection Elements, DiffSection Flows, bool LayoutChanged);

/// <summary>
/// Compares two BPMN documents structurally: every element with an <c>id</c> of the process
/// (tasks, events, gateways, lanes, sequence flows, ...) by id, with its attributes (the
/// <c>cc:</c> extension attributes among them, shown with their prefix) and its nested settings
/// without an id (conditions, timer durations, documentation). Diagram elements (BPMN DI) only
/// set <see cref="DefinitionDiff.LayoutChanged"/>.
/// </summary>
/// <remarks>Belongs in Runtime (a wish): it lives here until the catalogue offers a diff.</remarks>
public static class BpmnStructuralDiff
{
    private const string DiagramNamespace = "http://www.omg.org/spec/BPMN/20100524/DI";

    public static DefinitionDiff Compare(string key, int fromVersion, string fromBpmn, int toVersion, string toBpmn)
    {
        var (fromElements, fromLayout) = Read(fromBpmn);
        var (toElements, toLayout) = Read(toBpmn);
        return new DefinitionDiff(
            key,
            fromVersion,
            toVersion,
            Section(fromElements, toElements, flows: false),
            Section(fromElements, toElements, flows: true),
            !string.Equals(fromLayout, toLayout, StringComparison.Ordinal));
    }

    private sealed record Element(string Id, string Kind, string? Name, SortedDictionary<string, string> Settings);

    private static DiffSection Section(Dictionary<string, Element> from, Dictionary<string, Element> to, bool flows)
    {
        bool Wanted(Element e) => string.Equals(e.Kind, "sequenceFlow", StringComparison.Ordinal) == flows;
        var added = to.Values.Where(Wanted).Where(e => !from.ContainsKey(e.Id)).OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => new DiffElement(e.Id, e.Kind, e.Name)).ToList();
        var removed = from.Values.Where(Wanted).Where(e => !to.ContainsKey(e.Id)).OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => new DiffElement(e.Id, e.Kind, e.Name)).ToList();
        var changed = new List<ChangedElement>();
        foreach (var before in from.Values.Where(Wanted).OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            if (!to.TryGetValue(before.Id, out var after))
            {
                continue;
            }

            var changes = new List<DiffChange>();
            if (!string.Equals(before.Kind, after.Kind, StringComparison.Ordinal))
            {
                changes.Add(new DiffChange("(element)", before.Kind, after.Kind));
            }

            foreach (var name in before.Settings.Keys.Union(after.Settings.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var a = before.Settings.GetValueOrDefault(name);
                var b = after.Settings.GetValueOrDefault(name);
                if (!string.Equals(a, b, StringComparison.Ordinal))
                {
                    changes.Add(new DiffChange(name, a, b));
                }
            }

            if (changes.Count > 0)
            {
                changed.Add(new ChangedElement(after.Id, after.Kind, after.Name ?? before.Name, changes));
            }
        }

        return new DiffSection(added, removed, changed);
    }

    private static (Dictionary<string, Element> Elements, string Layout) Read(string bpmn)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = 4 * 1024 * 1024,
            MaxCharactersFromEntities = 1024,
        };
        using var text = new StringReader(bpmn);
        using var reader = XmlReader.Create(text, settings);
        var document = XDocument.Load(reader);
        var elements = new Dictionary<string, Element>(StringComparer.Ordinal);
        var layout = new System.Text.StringBuilder();
        foreach (var element in document.Descendants())
        {
            if (element.Name.NamespaceName == DiagramNamespace || element.Ancestors().Any(a => a.Name.NamespaceName == DiagramNamespace))
            {
                if (element.Name.NamespaceName == DiagramNamespace)
                {
                    layout.Append(element.ToString(SaveOptions.DisableFormatting));
                }

                continue;
            }

            if (element.Attribute("id")?.Value is not { } id || element.Parent is null)
            {
                continue;
            }

            var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.LocalName != "id"))
            {
                found[NameOf(element, attribute.Name)] = attribute.Value;
            }

            foreach (var child in element.Descendants().Where(d => OwnedBy(d, element)))
            {
                if (child.Name.LocalName is "incoming" or "outgoing" || child.Attribute("id") is not null)
                {
                    continue;
                }

                var path = string.Join("/", child.AncestorsAndSelf().TakeWhile(a => a != element).Reverse().Select(a => NameOf(element, a.Name)));
                var value = child.HasElements ? null : child.Value.Trim();
                foreach (var attribute in child.Attributes().Where(a => !a.IsNamespaceDeclaration))
                {
                    found[$"{path}@{NameOf(element, attribute.Name)}"] = attribute.Value;
                }

                if (!string.IsNullOrEmpty(value))
                {
                    found[path] = found.TryGetValue(path, out var earlier) ? earlier + "\n" + value : value;
                }
            }

            elements[id] = new Element(id, element.Name.LocalName, element.Attribute("name")?.Value, found);
        }

        return (elements, layout.ToString());
    }

    /// <summary>Whether <paramref name="node"/> belongs to <paramref name="owner"/> rather than to a nested element with an id of its own.</summary>
    private static bool OwnedBy(XElement node, XElement owner)
    {
        for (var parent = node.Parent; parent is not null && parent != owner; parent = parent.Parent)
        {
            if (parent.Attribute("id") is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static string NameOf(XElement context, XName name)
    {
        if (name.Namespace == XNamespace.None)
        {
            return name.LocalName;
        }

        var prefix = context.GetPrefixOfNamespace(name.Namespace);
        return prefix is null ? name.LocalName : $"{prefix}:{name.LocalName}";
    }
}

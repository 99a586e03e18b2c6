using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using static ContactCenter.Workflows.Tests.WorkflowFiles;

namespace ContactCenter.Workflows.Tests;

/// <summary>A read-only view of one workflow file for the structural tests: nodes, flows, lanes and diagram bounds.</summary>
internal sealed class BpmnModel
{
    private static readonly HashSet<string> FlowNodeKinds = new(StringComparer.Ordinal)
    {
        "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
        "task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask",
        "callActivity", "subProcess", "exclusiveGateway", "parallelGateway", "eventBasedGateway", "inclusiveGateway",
        "complexGateway",
    };

    private static readonly HashSet<string> TaskKinds = new(StringComparer.Ordinal)
    {
        "task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask",
        "callActivity", "subProcess",
    };

    public BpmnModel(string key)
    {
        Key = key;
        Document = Load(key);
        var processes = Document.Root!.Elements(Bpmn + "process").ToList();
        Processes = processes;
        Process = processes.Count == 1 ? processes[0] : throw new InvalidOperationException($"{key}: {processes.Count} processes");
        Nodes = Process.Descendants().Where(e => e.Name.Namespace == Bpmn && FlowNodeKinds.Contains(e.Name.LocalName)).ToList();
        Flows = Process.Descendants(Bpmn + "sequenceFlow").ToList();
        NodeById = Nodes.ToDictionary(Id, StringComparer.Ordinal);
        Lanes = Process.Descendants(Bpmn + "lane").ToList();
        Shapes = Document.Descendants(BpmnDi + "BPMNShape").ToList();
        Edges = Document.Descendants(BpmnDi + "BPMNEdge").ToList();
    }

    public string Key { get; }

    public XDocument Document { get; }

    public IReadOnlyList<XElement> Processes { get; }

    public XElement Process { get; }

    public IReadOnlyList<XElement> Nodes { get; }

    public IReadOnlyList<XElement> Flows { get; }

    public IReadOnlyDictionary<string, XElement> NodeById { get; }

    public IReadOnlyList<XElement> Lanes { get; }

    public IReadOnlyList<XElement> Shapes { get; }

    public IReadOnlyList<XElement> Edges { get; }

    public static string Id(XElement e) => (string?)e.Attribute("id") ?? throw new InvalidOperationException($"element without id at line {Line(e)}");

    public static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;

    public static string Kind(XElement e) => e.Name.LocalName;

    public static string? Name(XElement e) => (string?)e.Attribute("name");

    public static string? Cc(XElement e, string attribute) => (string?)e.Attribute(WorkflowFiles.Cc + attribute);

    public static bool IsTask(XElement e) => TaskKinds.Contains(Kind(e));

    public static string Describe(XElement e) => $"{Kind(e)} {(string?)e.Attribute("id")} '{Name(e)}' (line {Line(e)})";

    public IEnumerable<XElement> Outgoing(XElement node) => Flows.Where(f => (string?)f.Attribute("sourceRef") == Id(node));

    public IEnumerable<XElement> Incoming(XElement node) => Flows.Where(f => (string?)f.Attribute("targetRef") == Id(node));

    public XElement Target(XElement flow) => NodeById[(string)flow.Attribute("targetRef")!];

    public XElement Source(XElement flow) => NodeById[(string)flow.Attribute("sourceRef")!];

    public static bool HasCondition(XElement flow) => flow.Element(Bpmn + "conditionExpression") is not null;

    /// <summary>An exclusive gateway with two or more outgoing flows and no conditions: the agent picks a flow by its name.</summary>
    public bool IsAgentDecided(XElement node) =>
        Kind(node) == "exclusiveGateway" && Outgoing(node).Count() >= 2 && !Outgoing(node).Any(HasCondition);

    public bool IsConditionDecided(XElement node) =>
        Kind(node) == "exclusiveGateway" && Outgoing(node).Any(HasCondition);

    public static bool IsLinkCatch(XElement e) =>
        Kind(e) == "intermediateCatchEvent" && e.Element(Bpmn + "linkEventDefinition") is not null;

    public static bool IsLinkThrow(XElement e) =>
        Kind(e) == "intermediateThrowEvent" && e.Element(Bpmn + "linkEventDefinition") is not null;

    public static string? LinkName(XElement e) => (string?)e.Element(Bpmn + "linkEventDefinition")?.Attribute("name") ?? Name(e);

    /// <summary>The process or sub-process a node belongs to.</summary>
    public static XElement Scope(XElement node) => node.Parent!;

    /// <summary>The lane name a node is worked in: its own flowNodeRef, else the enclosing sub-process's lane.</summary>
    public string? LaneOf(XElement node)
    {
        var id = Id(node);
        var lane = Lanes.FirstOrDefault(l => l.Elements(Bpmn + "flowNodeRef").Any(r => r.Value.Trim() == id));
        if (lane is not null)
        {
            return Name(lane);
        }

        return Scope(node).Name == Bpmn + "subProcess" ? LaneOf(Scope(node)) : null;
    }

    public IEnumerable<string> LanesListing(XElement node)
    {
        var id = Id(node);
        return Lanes.Where(l => l.Elements(Bpmn + "flowNodeRef").Any(r => r.Value.Trim() == id)).Select(l => Name(l) ?? "?");
    }

    public IReadOnlyList<XElement> ShapesOf(string id) =>
        Shapes.Where(s => (string?)s.Attribute("bpmnElement") == id).ToList();

    public IReadOnlyList<XElement> EdgesOf(string id) =>
        Edges.Where(s => (string?)s.Attribute("bpmnElement") == id).ToList();

    public Rect BoundsOf(string id)
    {
        var shape = ShapesOf(id).Single();
        return Rect.Of(shape.Element(Dc + "Bounds")!);
    }

    public static TimeSpan Duration(XElement timerEvent)
    {
        var text = timerEvent.Element(Bpmn + "timerEventDefinition")?.Element(Bpmn + "timeDuration")?.Value.Trim()
            ?? throw new InvalidOperationException($"{Describe(timerEvent)} has no timeDuration");
        return XmlConvert.ToTimeSpan(text);
    }
}

internal readonly record struct Rect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double CenterX => X + (Width / 2);

    public double CenterY => Y + (Height / 2);

    public static Rect Of(XElement bounds) => new(
        Parse(bounds, "x"), Parse(bounds, "y"), Parse(bounds, "width"), Parse(bounds, "height"));

    public bool Intersects(Rect other) =>
        X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;

    public bool Contains(Rect other) =>
        other.X >= X && other.Right <= Right && other.Y >= Y && other.Bottom <= Bottom;

    public bool ContainsPoint(double x, double y) => x >= X && x <= Right && y >= Y && y <= Bottom;

    private static double Parse(XElement bounds, string name) =>
        double.Parse((string)bounds.Attribute(name)!, NumberStyles.Float, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ContactCenter.Modules.Documents;

/// <summary>A rectangle of the diagram, in BPMN DI units (pixels as the modeller drew them).</summary>
public readonly record struct DiBounds(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double CenterX => X + (Width / 2);

    public double CenterY => Y + (Height / 2);
}

/// <summary>A drawn element: what it is (its BPMN element name), its name, its box and its label's box.</summary>
/// <param name="ElementId">The model element it draws.</param>
/// <param name="Kind">The BPMN element's local name: <c>userTask</c>, <c>exclusiveGateway</c>, <c>lane</c>, ...</param>
/// <param name="Name">The element's name, if any.</param>
/// <param name="Step">Its <c>cc:step</c>, if any.</param>
/// <param name="EventDefinition">For events: <c>timer</c>, <c>message</c>, <c>link</c>, <c>terminate</c>, or null.</param>
/// <param name="Bounds">The shape's box.</param>
/// <param name="Label">The external label's box, if the modeller placed one.</param>
public sealed record DiShape(string ElementId, string Kind, string? Name, string? Step, string? EventDefinition, DiBounds Bounds, DiBounds? Label);

/// <summary>A drawn sequence flow: its waypoints and its name's box.</summary>
public sealed record DiEdge(string ElementId, string? Name, IReadOnlyList<(double X, double Y)> Waypoints, DiBounds? Label);

/// <summary>
/// The diagram interchange (bpmndi) of a BPMN document: shapes and edges with the kinds and names
/// of the elements they draw. Read with DTDs prohibited and no resolver, like the parser.
/// </summary>
public sealed class BpmnDiagram
{
    private const string ModelNs = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private const string DiNs = "http://www.omg.org/spec/BPMN/20100524/DI";
    private const string DcNs = "http://www.omg.org/spec/DD/20100524/DC";
    private const string DdNs = "http://www.omg.org/spec/DD/20100524/DI";
    private const string CcNs = "https://contactcenter.pegadaian.co.id/schema/bpmn/1.0";

    private BpmnDiagram(IReadOnlyList<DiShape> shapes, IReadOnlyList<DiEdge> edges)
    {
        Shapes = shapes;
        Edges = edges;
    }

    /// <summary>Pools and lanes first, then the flow nodes, in document order.</summary>
    public IReadOnlyList<DiShape> Shapes { get; }

    public IReadOnlyList<DiEdge> Edges { get; }

    public bool IsEmpty => Shapes.Count == 0 && Edges.Count == 0;

    /// <summary>Reads the first diagram of a BPMN document; a document without DI gives an empty diagram.</summary>
    /// <exception cref="XmlException">The document is not well-formed, or holds a DTD.</exception>
    public static BpmnDiagram Read(string bpmn)
    {
        ArgumentNullException.ThrowIfNull(bpmn);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
        };
        using var reader = XmlReader.Create(new StringReader(bpmn), settings);
        var document = XDocument.Load(reader);
        var elements = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var e in document.Descendants().Where(e => e.Name.NamespaceName == ModelNs))
        {
            if ((string?)e.Attribute("id") is { } id)
            {
                elements.TryAdd(id, e);
            }
        }

        var diagram = document.Descendants(XName.Get("BPMNDiagram", DiNs)).FirstOrDefault();
        if (diagram is null)
        {
            return new BpmnDiagram([], []);
        }

        var shapes = new List<DiShape>();
        var edges = new List<DiEdge>();
        foreach (var shape in diagram.Descendants(XName.Get("BPMNShape", DiNs)))
        {
            var id = (string?)shape.Attribute("bpmnElement");
            var bounds = BoundsOf(shape.Element(XName.Get("Bounds", DcNs)));
            if (id is null || bounds is null || !elements.TryGetValue(id, out var element))
            {
                continue;
            }

            var label = BoundsOf(shape.Element(XName.Get("BPMNLabel", DiNs))?.Element(XName.Get("Bounds", DcNs)));
            shapes.Add(new DiShape(id, element.Name.LocalName, Text(element.Attribute("name")), Text(element.Attribute(XName.Get("step", CcNs))), EventDefinitionOf(element), bounds.Value, label));
        }

        foreach (var edge in diagram.Descendants(XName.Get("BPMNEdge", DiNs)))
        {
            var id = (string?)edge.Attribute("bpmnElement");
            if (id is null || !elements.TryGetValue(id, out var element))
            {
                continue;
            }

            var points = edge.Elements(XName.Get("waypoint", DdNs))
                .Select(w => (X: Number(w.Attribute("x")), Y: Number(w.Attribute("y"))))
                .Where(p => p.X is not null && p.Y is not null)
                .Select(p => (p.X!.Value, p.Y!.Value))
                .ToList();
            if (points.Count < 2)
            {
                continue;
            }

            var label = BoundsOf(edge.Element(XName.Get("BPMNLabel", DiNs))?.Element(XName.Get("Bounds", DcNs)));
            edges.Add(new DiEdge(id, Text(element.Attribute("name")), points, label));
        }

        // Containers are drawn first so that nodes sit on top of them.
        var ordered = shapes.Where(s => s.Kind is "participant").Concat(shapes.Where(s => s.Kind is "lane")).Concat(shapes.Where(s => s.Kind is "subProcess"))
            .Concat(shapes.Where(s => s.Kind is not ("participant" or "lane" or "subProcess"))).ToList();
        return new BpmnDiagram(ordered, edges);
    }

    /// <summary>The box around everything drawn, labels included.</summary>
    public DiBounds Extent()
    {
        var boxes = Shapes.Select(s => s.Bounds).Concat(Shapes.Select(s => s.Label).OfType<DiBounds>())
            .Concat(Edges.Select(e => e.Label).OfType<DiBounds>())
            .Concat(Edges.SelectMany(e => e.Waypoints).Select(p => new DiBounds(p.X, p.Y, 0, 0)))
            .ToList();
        if (boxes.Count == 0)
        {
            return new DiBounds(0, 0, 0, 0);
        }

        var minX = boxes.Min(b => b.X);
        var minY = boxes.Min(b => b.Y);
        return new DiBounds(minX, minY, boxes.Max(b => b.Right) - minX, boxes.Max(b => b.Bottom) - minY);
    }

    private static string? EventDefinitionOf(XElement element)
    {
        if (!element.Name.LocalName.EndsWith("Event", StringComparison.Ordinal))
        {
            return null;
        }

        var definition = element.Elements().FirstOrDefault(e => e.Name.NamespaceName == ModelNs && e.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal));
        return definition?.Name.LocalName[..^"EventDefinition".Length];
    }

    private static string? Text(XAttribute? attribute) => string.IsNullOrWhiteSpace(attribute?.Value) ? null : attribute.Value.Trim();

    private static DiBounds? BoundsOf(XElement? bounds)
    {
        if (bounds is null)
        {
            return null;
        }

        var (x, y, w, h) = (Number(bounds.Attribute("x")), Number(bounds.Attribute("y")), Number(bounds.Attribute("width")), Number(bounds.Attribute("height")));
        return x is null || y is null || w is null || h is null ? null : new DiBounds(x.Value, y.Value, w.Value, h.Value);
    }

    private static double? Number(XAttribute? attribute) =>
        attribute is not null && double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
